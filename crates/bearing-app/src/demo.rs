//! The demo workspace: a realistic B2B SaaS product ("Lumen") with areas,
//! customers and contacts, PMs and contributors, ideas and a few hundred
//! notes from every source. Loaded by `bearing demo` and `serve --demo`.

use crate::{Actor, App, AppError, AppResult};
use bearing_domain::*;
use serde::Deserialize;
use std::collections::HashMap;

const WORKSPACE: &str = include_str!("demo/workspace.json");

/// The demo admin's email.
pub const DEMO_ADMIN_EMAIL: &str = "admin@bearing.local";
/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "bearing-demo";

#[derive(Deserialize)]
struct Workspace {
    areas: Vec<DemoArea>,
    users: Vec<DemoUser>,
    customers: Vec<DemoCustomer>,
    ideas: Vec<DemoIdea>,
    notes: Vec<DemoNote>,
}

#[derive(Deserialize)]
struct DemoArea {
    key: String,
    name: String,
    description: String,
}
#[derive(Deserialize)]
struct DemoUser {
    name: String,
    email: String,
    role: Role,
}
#[derive(Deserialize)]
struct DemoContact {
    name: String,
    email: String,
    title: String,
}
#[derive(Deserialize)]
struct DemoCustomer {
    name: String,
    domain: String,
    arr: i64,
    segment: Segment,
    owner_email: String,
    contacts: Vec<DemoContact>,
}
#[derive(Deserialize)]
struct DemoIdea {
    key: String,
    title: String,
    problem: String,
    proposal: String,
    area: String,
    owner_email: String,
    status: IdeaStatus,
    effort_months: Option<f64>,
    timeframe: Option<Timeframe>,
    labels: Vec<String>,
    tracker_links: Vec<String>,
}
#[derive(Deserialize)]
struct DemoLink {
    idea: String,
    excerpt: Option<String>,
}
#[derive(Deserialize)]
struct DemoNote {
    customer: Option<String>,
    contact_email: Option<String>,
    reporter_email: String,
    source: NoteSource,
    importance: Importance,
    text: String,
    tags: Vec<String>,
    public_safe: bool,
    state: NoteState,
    wont_do_reason: Option<String>,
    links: Vec<DemoLink>,
    days_ago: i64,
}

/// What loading the demo made.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// The admin account.
    pub admin: User,
    /// False when the demo was already there and nothing was loaded.
    pub loaded: bool,
    /// Notes in the workspace file.
    pub notes: usize,
    /// Ideas in the workspace file.
    pub ideas: usize,
    /// Customers in the workspace file.
    pub customers: usize,
}

/// Text snippets from the demo notes, for the synthetic note generator.
pub fn demo_note_texts() -> Vec<String> {
    serde_json::from_str::<Workspace>(WORKSPACE)
        .map(|w| w.notes.into_iter().map(|n| n.text).collect())
        .unwrap_or_default()
}

/// The demo ideas' titles, for the synthetic idea generator.
pub fn demo_idea_titles() -> Vec<String> {
    serde_json::from_str::<Workspace>(WORKSPACE)
        .map(|w| w.ideas.into_iter().map(|i| i.title).collect())
        .unwrap_or_default()
}

impl App {
    /// Load the demo workspace unless its admin already exists.
    pub async fn load_demo(&self) -> AppResult<DemoSummary> {
        let w: Workspace = serde_json::from_str(WORKSPACE)
            .map_err(|e| AppError::Internal(format!("demo data: {e}")))?;
        let counts = (w.notes.len(), w.ideas.len(), w.customers.len());
        if let Ok(admin) = self.db.user_by_email(DEMO_ADMIN_EMAIL).await {
            return Ok(DemoSummary {
                admin,
                loaded: false,
                notes: counts.0,
                ideas: counts.1,
                customers: counts.2,
            });
        }
        let admin = self
            .create_user(DEMO_ADMIN_EMAIL, "Alex Admin", Role::Admin, DEMO_PASSWORD)
            .await?;
        let mut users: HashMap<String, UserId> = HashMap::new();
        for u in &w.users {
            let user = self
                .create_user(&u.email, &u.name, u.role, DEMO_PASSWORD)
                .await?;
            users.insert(u.email.clone(), user.id);
        }
        let actor = Actor {
            user: admin.clone(),
        };
        let mut areas: HashMap<String, AreaId> = HashMap::new();
        for a in &w.areas {
            let area = self
                .create_area(
                    &actor,
                    NewArea {
                        key: Some(a.key.clone()),
                        name: a.name.clone(),
                        description: a.description.clone(),
                    },
                )
                .await?;
            areas.insert(a.key.clone(), area.id);
        }
        let mut customers: HashMap<String, CustomerId> = HashMap::new();
        let mut contacts: HashMap<String, ContactId> = HashMap::new();
        for c in &w.customers {
            let input = NewCustomer {
                name: c.name.clone(),
                domain: Some(c.domain.clone()),
                arr: c.arr,
                segment: c.segment,
                owner_id: users.get(&c.owner_email).copied(),
            };
            let cust = self.create_customer(&actor, input).await?;
            customers.insert(c.name.clone(), cust.id);
            for p in &c.contacts {
                let input = NewContact {
                    customer_id: cust.id,
                    name: p.name.clone(),
                    email: Some(p.email.clone()),
                    title: Some(p.title.clone()),
                };
                let contact = self.create_contact(&actor, input).await?;
                contacts.insert(p.email.clone(), contact.id);
            }
        }
        let now = Timestamp::now();
        let mut tx = self.db.begin().await?;
        let mut ideas: HashMap<String, IdeaId> = HashMap::new();
        for (i, d) in w.ideas.iter().enumerate() {
            let input = NewIdea {
                title: d.title.clone(),
                problem: d.problem.clone(),
                proposal: d.proposal.clone(),
                area_id: areas.get(&d.area).copied(),
                owner_id: users.get(&d.owner_email).copied(),
                status: d.status,
                effort_months: d.effort_months,
                timeframe: d.timeframe,
                due_date: None,
                labels: d.labels.clone(),
                tracker_links: d.tracker_links.clone(),
            }
            .validate()?;
            // Spread creation over the last few months so lists read naturally.
            let at = Timestamp(now.0 - (200 - i as i64) * 3_600_000 * 12);
            let by = users.get(&d.owner_email).copied();
            let idea = self.create_idea_in(&mut tx, by, input, at, "").await?;
            ideas.insert(d.key.clone(), idea.id);
        }
        let mut sorted: Vec<&DemoNote> = w.notes.iter().collect();
        sorted.sort_by_key(|n| -n.days_ago);
        for (i, n) in sorted.into_iter().enumerate() {
            let input = NewNote {
                text: n.text.clone(),
                source: n.source,
                importance: n.importance,
                customer_id: n.customer.as_ref().and_then(|c| customers.get(c).copied()),
                contact_id: n
                    .contact_email
                    .as_ref()
                    .and_then(|c| contacts.get(c).copied()),
                tags: n.tags.clone(),
                public_safe: n.public_safe,
            }
            .validate(self.config.max_note_bytes)?;
            let created_at =
                Timestamp(now.0 - n.days_ago * 86_400_000 - (i as i64 % 24) * 3_600_000);
            let reporter = users.get(&n.reporter_email).copied();
            // Ids are time-ordered, so make them from the note's own time.
            let mut note = Note::logged(
                NoteId(uuid_at(created_at)),
                input,
                reporter,
                NoteState::Unprocessed,
                None,
                created_at,
            );
            self.insert_note_in(&mut tx, &note).await?;
            for l in &n.links {
                if let Some(idea) = ideas.get(&l.idea) {
                    self.link_in(
                        &mut tx,
                        reporter,
                        note.id,
                        *idea,
                        l.excerpt.as_deref(),
                        created_at,
                    )
                    .await?;
                }
            }
            if n.state != NoteState::Unprocessed {
                note.state = n.state;
                note.wont_do_reason = n.wont_do_reason.clone();
                note.processed_by = reporter;
                note.processed_at = Some(created_at);
                tx.notes().set_state(&note).await?;
            }
        }
        self.score_demo_ideas(&mut tx, &w.ideas, &ideas, &actor)
            .await?;
        tx.commit().await?;
        Ok(DemoSummary {
            admin,
            loaded: true,
            notes: counts.0,
            ideas: counts.1,
            customers: counts.2,
        })
    }
}

impl App {
    /// Give most demo ideas a plausible standard-scale RICE score, picked
    /// deterministically from the idea's position so every demo is the same;
    /// a few stay unscored, as in a real workspace.
    async fn score_demo_ideas(
        &self,
        tx: &mut bearing_store::Tx,
        demo: &[DemoIdea],
        ids: &HashMap<String, IdeaId>,
        admin: &Actor,
    ) -> AppResult<()> {
        use bearing_domain::prioritisation::rice::{
            CONFIDENCE, IMPACT, ReachMode, Rice, STANDARD_REACH,
        };
        for (k, d) in demo.iter().enumerate() {
            let Some(id) = ids.get(&d.key) else { continue };
            if k % 5 == 4 {
                continue;
            }
            let reach = STANDARD_REACH[(k * 7 + 1) % STANDARD_REACH.len()].0;
            let impact = IMPACT[(k * 3 + 1) % IMPACT.len()].0;
            let confidence = CONFIDENCE[k % CONFIDENCE.len()].0;
            let effort = d.effort_months.unwrap_or(((k % 6) + 1) as f64);
            let rice = Rice::from_factors(reach, impact, confidence, effort);
            crate::prioritisation::set_rice_in(tx, admin, *id, Some(&rice), ReachMode::Standard)
                .await?;
        }
        Ok(())
    }
}

/// A UUIDv7 for a given moment, so back-dated rows sort where they belong.
pub fn uuid_at(t: Timestamp) -> uuid::Uuid {
    let secs = (t.0.max(0) / 1000) as u64;
    let nanos = ((t.0.max(0) % 1000) * 1_000_000) as u32;
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, secs, nanos))
}
