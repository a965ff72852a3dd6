//! `bearing rice`: an area's ideas ranked by RICE (or demand), as a table
//! or CSV, with the factors so anyone can see why.

use crate::config::Settings;
use anyhow::Context;
use bearing_domain::{IdeaSort, PageRequest};

/// Flags for `rice`.
#[derive(clap::Args, Debug)]
pub struct RiceArgs {
    /// Product area key (see `bearing rice --list-areas`); all areas if omitted.
    #[arg(long)]
    pub area: Option<String>,
    /// Rank by `rice` (score) or `demand` (customer demand).
    #[arg(long, default_value = "rice", value_parser = ["rice", "demand"])]
    pub by: String,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = ["table", "csv"])]
    pub format: String,
    /// How many ideas to print.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// List the area keys and exit.
    #[arg(long)]
    pub list_areas: bool,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|v| {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    })
    .unwrap_or_else(|| "-".into())
}

/// Print the ranking.
pub async fn run(settings: Settings, args: RiceArgs) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    if args.list_areas {
        for a in app.areas().await? {
            println!("{:<24} {}", a.key, a.name);
        }
        return Ok(());
    }
    let area = match &args.area {
        Some(k) => Some(
            app.area_by_key(k)
                .await
                .with_context(|| format!("no area with key '{k}'; try --list-areas"))?,
        ),
        None => None,
    };
    let sort = if args.by == "demand" {
        IdeaSort::Demand
    } else {
        IdeaSort::Rice
    };
    let mode = app.reach_mode().await?;
    let mut left = args.limit;
    let mut page = PageRequest {
        after: None,
        limit: left.clamp(1, 200),
    };
    let mut rows = Vec::new();
    loop {
        let p = app.ranked(area.as_ref().map(|a| a.id), sort, &page).await?;
        rows.extend(p.items);
        left = args.limit.saturating_sub(rows.len() as u32);
        match p.next_cursor {
            Some(c) if left > 0 => page = PageRequest::parse(Some(&c), Some(left.min(200)))?,
            _ => break,
        }
    }
    if args.format == "csv" {
        println!(
            "rank,title,area,status,reach,impact,confidence,effort_months,rice_score,reach_scale,demand_score"
        );
        for (k, r) in rows.iter().enumerate() {
            let i = &r.idea;
            let rice = i.rice.as_ref();
            println!(
                "{},{},{},{},{},{},{},{},{},{},{:.2}",
                k + 1,
                csv_field(&i.title),
                csv_field(r.area_name.as_deref().unwrap_or("")),
                i.status.as_str(),
                num(rice.map(|r| r.reach)),
                num(rice.map(|r| r.impact)),
                num(rice.map(|r| r.confidence)),
                num(i.effort_months),
                num(rice.map(|r| r.score)),
                i.rice_reach_mode.map_or("", |m| m.as_str()),
                i.demand_score
            );
        }
        return Ok(());
    }
    println!(
        "{} ideas{} by {} (reach scale: {})",
        rows.len(),
        area.as_ref()
            .map(|a| format!(" in {}", a.name))
            .unwrap_or_default(),
        if sort == IdeaSort::Demand {
            "customer demand"
        } else {
            "RICE score"
        },
        mode.label()
    );
    println!(
        "{:>4}  {:<48} {:>7} {:>6} {:>5} {:>6} {:>8} {:>8}",
        "#", "title", "reach", "impact", "conf", "effort", "RICE", "demand"
    );
    for (k, r) in rows.iter().enumerate() {
        let i = &r.idea;
        let rice = i.rice.as_ref();
        let title: String = if i.title.chars().count() > 48 {
            i.title.chars().take(47).chain(['…']).collect()
        } else {
            i.title.clone()
        };
        println!(
            "{:>4}  {:<48} {:>7} {:>6} {:>5} {:>6} {:>8} {:>8.2}",
            k + 1,
            title,
            num(rice.map(|r| r.reach)),
            num(rice.map(|r| r.impact)),
            rice.map(|r| format!("{:.0}%", r.confidence * 100.0))
                .unwrap_or_else(|| "-".into()),
            num(i.effort_months),
            num(rice.map(|r| r.score)),
            i.demand_score
        );
    }
    Ok(())
}
