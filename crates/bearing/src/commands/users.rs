//! `bearing user …` and `bearing token …`: accounts and API tokens.

use crate::config::Settings;
use bearing_domain::Role;

/// User subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user. The password comes from --password, BEARING_PASSWORD,
    /// or is generated and printed.
    Create {
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Display name [default: the part of the email before @].
        #[arg(long)]
        name: Option<String>,
        /// Role: admin, pm, contributor or viewer.
        #[arg(long, default_value = "pm")]
        role: String,
        /// Shorthand for --role admin (use it for the first account).
        #[arg(long)]
        admin: bool,
        /// Password (at least 8 characters).
        #[arg(long, env = "BEARING_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List users.
    List,
}

/// Token subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (shown once).
    Create {
        /// The user the token acts as.
        #[arg(long)]
        email: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

/// Run a user subcommand.
pub async fn user(settings: Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    match cmd {
        UserCommand::Create {
            email,
            name,
            role,
            admin,
            password,
        } => {
            let role = if admin {
                Role::Admin
            } else {
                Role::parse_field(&role, "role").map_err(|e| anyhow::anyhow!(e.message))?
            };
            let name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (
                    bearing_app::accounts::random_secret()[..16].to_string(),
                    true,
                ),
            };
            let user = app.create_user(&email, &name, role, &password).await?;
            println!(
                "Created {} <{}> as {}.",
                user.name,
                user.email,
                user.role.label()
            );
            if generated {
                println!("Password: {password}");
            }
        }
        UserCommand::List => {
            for u in app.users().await? {
                println!("{:<32} {:<24} {}", u.email, u.name, u.role.as_str());
            }
        }
    }
    Ok(())
}

/// Run a token subcommand.
pub async fn token(settings: Settings, cmd: TokenCommand) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    match cmd {
        TokenCommand::Create { email, name } => {
            let user = app.user_by_email(&email).await?;
            let (_, secret) = app.create_token(&user, &name).await?;
            println!("{secret}");
            eprintln!(
                "API token for {} created; it is shown only once. Use it as: Authorization: Bearer <token>",
                user.email
            );
        }
    }
    Ok(())
}
