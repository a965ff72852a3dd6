//! `bearing serve`: run the web server, optionally on a demo workspace.

use crate::config::{Settings, redact};
use anyhow::Context;
use bearing_web::{AppState, WebConfig};
use std::num::NonZeroU32;
use std::time::Duration;

/// Flags for `serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Load the demo workspace first and print sign-in details. Unless a
    /// database is configured it uses its own file, bearing-demo.db.
    #[arg(long)]
    pub demo: bool,
    // `--bind` is a setting whose flag belongs to serve: it is added from
    // config/settings.rs by config::add_setting_flags.
}

/// The database `serve --demo` uses when no layer names one.
pub const DEMO_DATABASE: &str = "sqlite://bearing-demo.db";

impl ServeArgs {
    /// `--demo` changes the database's default rather than the database, so
    /// bearing.toml, BEARING_DATABASE or --database still win over it.
    pub fn adjust_defaults(&self, defaults: &mut Settings) {
        if self.demo {
            defaults.database = DEMO_DATABASE.into();
        }
    }
}

/// Run until Ctrl-C or SIGTERM.
pub async fn run(settings: Settings, args: ServeArgs) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .with_context(|| format!("listening on {}", settings.bind))?;
    let addr = listener.local_addr()?;
    if args.demo {
        let summary = app
            .load_demo()
            .await
            .context("loading the demo workspace")?;
        let (_, token) = app.create_token(&summary.admin, "demo").await?;
        println!();
        println!(
            "  Bearing demo workspace is ready{}.",
            if summary.loaded {
                ""
            } else {
                " (already loaded)"
            }
        );
        println!("  Open      http://{addr}");
        println!("  Email     {}", bearing_app::demo::DEMO_ADMIN_EMAIL);
        println!("  Password  {}", bearing_app::demo::DEMO_PASSWORD);
        println!("  API token {token}");
        println!(
            "  Try       curl -H \"Authorization: Bearer {token}\" http://{addr}/api/v1/notes?state=unprocessed"
        );
        println!();
    }
    tracing::info!(%addr, database = %redact(&settings.database), "Bearing is listening");
    let state = AppState::new(
        app.clone(),
        WebConfig {
            max_body_bytes: settings.max_body_bytes,
            secure_cookies: settings.secure_cookies,
            signin_account_burst: nonzero(settings.signin_account_burst),
            signin_account_period: Duration::from_secs(settings.signin_account_period_secs.into()),
            signin_ip_burst: nonzero(settings.signin_ip_burst),
            signin_ip_period: Duration::from_secs(settings.signin_ip_period_secs.into()),
        },
    );
    bearing_web::serve(listener, state, shutdown_signal()).await?;
    app.close().await;
    Ok(())
}

/// A burst checked above 0 by `Settings::check`.
fn nonzero(v: u32) -> NonZeroU32 {
    NonZeroU32::new(v).unwrap_or(NonZeroU32::MIN)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
