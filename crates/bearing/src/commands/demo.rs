//! `bearing demo`: load the demo workspace into the configured database.

use crate::config::Settings;

/// Load the demo, or say it is already there.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    let s = app.load_demo().await?;
    if s.loaded {
        println!(
            "Loaded the demo workspace: {} customers, {} ideas, {} notes.",
            s.customers, s.ideas, s.notes
        );
    } else {
        println!("The demo workspace is already loaded.");
    }
    println!(
        "Sign in as {} / {}",
        bearing_app::demo::DEMO_ADMIN_EMAIL,
        bearing_app::demo::DEMO_PASSWORD
    );
    Ok(())
}
