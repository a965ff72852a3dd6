//! The 2×2 priority matrix of a closed prioritisation session, drawn as SVG
//! on the server: feasibility across, importance up, each axis split at
//! half of its top tally (the rule in `bearing_domain::voting`), quadrants
//! labelled Do first / Big bets / Quick wins / Reconsider and one labelled
//! dot per idea. A pure function of the points, so it is unit-tested here
//! and used both inline in the session page and at `matrix.svg`. It does
//! not decide quadrants or compute positions; the domain does.

use bearing_domain::{MatrixPoint, Quadrant};
use std::collections::HashMap;
use std::fmt::Write as _;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 520.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 16.0;
const RIGHT: f64 = 16.0;
const BOTTOM: f64 = 56.0;
/// Keep dots off the plot's side edges so labels stay readable.
const PAD: f64 = 22.0;
/// Keep dots below the quadrant names along the top of each cell.
const PAD_TOP: f64 = 44.0;
/// Longest label drawn beside a dot, in characters.
const LABEL_CHARS: usize = 28;

/// Escape text for SVG/XML character data and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than whitespace are not valid XML.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A title cut to `max` characters on one line, with an ellipsis if cut.
pub fn short_title(title: &str, max: usize) -> String {
    let one_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

fn quadrant_style(q: Quadrant) -> (&'static str, &'static str) {
    // (cell fill, text/dot colour): pale fills, dark text with AA contrast.
    match q {
        Quadrant::DoFirst => ("#ecfdf3", "#05603a"),
        Quadrant::BigBets => ("#eff8ff", "#1849a9"),
        Quadrant::QuickWins => ("#fffaeb", "#93370d"),
        Quadrant::Reconsider => ("#f2f4f7", "#344054"),
    }
}

/// Draw the matrix for `points` (each with its idea's title) as a
/// standalone `<svg>` element. Titles are escaped; long ones are shortened
/// beside the dot and given whole in each dot's tooltip.
pub fn render_matrix(points: &[(MatrixPoint, String)]) -> String {
    let pw = WIDTH - LEFT - RIGHT;
    let ph = HEIGHT - TOP - BOTTOM;
    let (mx, my) = (LEFT + pw / 2.0, TOP + ph / 2.0);
    let mut s = String::new();
    let label = format!(
        "Priority matrix: {} idea{} placed by feasibility (across) and importance (up)",
        points.len(),
        if points.len() == 1 { "" } else { "s" }
    );
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="matrix-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{l}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13"><title>{l}</title>"#,
        l = escape_xml(&label)
    );
    // Quadrant cells: top-left Big bets, top-right Do first, bottom-left
    // Reconsider, bottom-right Quick wins.
    let cells = [
        (Quadrant::BigBets, LEFT, TOP, "start"),
        (Quadrant::DoFirst, mx, TOP, "end"),
        (Quadrant::Reconsider, LEFT, my, "start"),
        (Quadrant::QuickWins, mx, my, "end"),
    ];
    for (q, x, y, anchor) in cells {
        let (fill, ink) = quadrant_style(q);
        let tx = if anchor == "start" {
            x + 10.0
        } else {
            x + pw / 2.0 - 10.0
        };
        let _ = write!(
            s,
            r#"<rect class="quadrant quadrant-{key}" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/><text x="{tx}" y="{ty}" text-anchor="{anchor}" font-weight="600" font-size="15" fill="{ink}">{name}</text>"#,
            key = q.as_str(),
            w = pw / 2.0,
            h = ph / 2.0,
            ty = y + 22.0,
            name = q.label(),
        );
    }
    // Axes and the split lines.
    let _ = write!(
        s,
        r##"<g stroke="#98a2b3" stroke-width="1"><line x1="{mx}" y1="{TOP}" x2="{mx}" y2="{b}" stroke-dasharray="4 4"/><line x1="{LEFT}" y1="{my}" x2="{r}" y2="{my}" stroke-dasharray="4 4"/></g><g stroke="#344054" stroke-width="1.5"><line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}"/></g>"##,
        b = TOP + ph,
        r = LEFT + pw,
    );
    let _ = write!(
        s,
        r##"<text x="{cx}" y="{ay}" text-anchor="middle" fill="#344054" font-weight="600">Feasibility →</text><text transform="translate({ix} {cy}) rotate(-90)" text-anchor="middle" fill="#344054" font-weight="600">Importance ↑</text><text x="{LEFT}" y="{ly}" text-anchor="start" fill="#475467" font-size="12">low</text><text x="{r}" y="{ly}" text-anchor="end" fill="#475467" font-size="12">high</text>"##,
        cx = LEFT + pw / 2.0,
        ay = HEIGHT - 14.0,
        ly = TOP + ph + 18.0,
        r = LEFT + pw,
        ix = LEFT - 34.0,
        cy = TOP + ph / 2.0,
    );
    if points.is_empty() {
        let _ = write!(
            s,
            r##"<text x="{mx}" y="{my}" dy="-8" text-anchor="middle" fill="#475467">No ideas were nominated</text>"##
        );
    }
    // Ideas at the same spot get their labels stacked rather than overprinted.
    let mut seen: HashMap<(i64, i64), u32> = HashMap::new();
    for (p, title) in points {
        let x = LEFT + PAD + p.x.clamp(0.0, 1.0) * (pw - 2.0 * PAD);
        let y = TOP + PAD_TOP + (1.0 - p.y.clamp(0.0, 1.0)) * (ph - PAD_TOP - PAD);
        let slot = seen
            .entry((x.round() as i64, y.round() as i64))
            .or_insert(0);
        // Stack away from the nearest horizontal edge: down in the top half,
        // up in the bottom half, so stacked labels never cross an axis.
        let dy = f64::from(*slot) * if p.y >= 0.5 { 15.0 } else { -15.0 };
        *slot += 1;
        let (_, ink) = quadrant_style(p.quadrant);
        let right_side = p.x > 0.6;
        let (lx, anchor) = if right_side {
            (x - 9.0, "end")
        } else {
            (x + 9.0, "start")
        };
        let full = escape_xml(title);
        let _ = write!(
            s,
            r##"<g class="matrix-point" data-quadrant="{q}"><title>{full}: {i} importance, {f} feasibility ({ql})</title><circle cx="{x:.1}" cy="{y:.1}" r="6" fill="{ink}" stroke="#ffffff" stroke-width="1.5"/><text x="{lx:.1}" y="{ty:.1}" text-anchor="{anchor}" fill="#101828">{short}</text></g>"##,
            q = p.quadrant.as_str(),
            ql = p.quadrant.label(),
            i = p.importance,
            f = p.feasibility,
            ty = y + 4.0 + dy,
            short = escape_xml(&short_title(title, LABEL_CHARS)),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use bearing_domain::Tally;
    use bearing_domain::prioritisation::session::priority_matrix;
    use uuid::Uuid;

    fn points(rows: &[(u128, u32, u32, &str)]) -> Vec<(MatrixPoint, String)> {
        let tallies: Vec<Tally> = rows
            .iter()
            .map(|(id, i, f, _)| Tally {
                idea_id: Uuid::from_u128(*id),
                importance: *i,
                feasibility: *f,
            })
            .collect();
        priority_matrix(&tallies)
            .into_iter()
            .map(|p| {
                let title = rows
                    .iter()
                    .find(|r| Uuid::from_u128(r.0) == p.idea_id)
                    .map(|r| r.3.to_string())
                    .unwrap();
                (p, title)
            })
            .collect()
    }

    #[test]
    fn draws_quadrants_axes_and_points() {
        let svg = render_matrix(&points(&[(1, 5, 5, "SAML SSO"), (2, 1, 4, "Dark mode")]));
        assert!(svg.starts_with("<svg "));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("aria-label=\"Priority matrix: 2 ideas"));
        assert!(svg.contains("<title>Priority matrix"));
        for q in ["Do first", "Big bets", "Quick wins", "Reconsider"] {
            assert!(svg.contains(&format!(">{q}</text>")), "{q}");
        }
        assert!(svg.contains("Feasibility →"));
        assert!(svg.contains("Importance ↑"));
        assert!(svg.contains(">SAML SSO</text>"));
        assert!(svg.contains(r#"data-quadrant="do_first""#));
        assert!(svg.contains(r#"data-quadrant="quick_wins""#));
        assert!(svg.contains("Dark mode: 1 importance, 4 feasibility (Quick wins)"));
        assert_eq!(svg.matches("<circle").count(), 2);
    }

    #[test]
    fn titles_are_escaped() {
        let evil = r#"<script>alert("x")</script> & 'co'"#;
        let svg = render_matrix(&points(&[(1, 2, 1, evil)]));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains(r#"alert("x")"#));
        assert!(
            svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;")
        );
        // Every element opened is one the renderer wrote.
        for tag in svg.split('<').skip(1) {
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            assert!(
                ["svg", "title", "rect", "text", "g", "line", "circle"].contains(&name.as_str()),
                "unexpected element <{name}"
            );
        }
    }

    #[test]
    fn long_titles_are_shortened_on_chars() {
        assert_eq!(short_title("short", 10), "short");
        assert_eq!(short_title("ééééééééééééé", 5), "éééé…");
        assert_eq!(short_title("a  b\nc", 10), "a b c");
        let long = "A very long idea title that keeps going and going";
        let svg = render_matrix(&points(&[(1, 1, 1, long)]));
        assert!(svg.contains(&format!(">{}</text>", short_title(long, LABEL_CHARS))));
        assert!(svg.contains(&format!("<title>{long}: ")));
    }

    #[test]
    fn empty_and_stacked() {
        let svg = render_matrix(&[]);
        assert!(svg.contains("No ideas were nominated"));
        assert!(svg.contains("Priority matrix: 0 ideas"));
        let svg = render_matrix(&points(&[(1, 0, 0, "A"), (2, 0, 0, "B")]));
        assert_eq!(svg.matches(r#"data-quadrant="reconsider""#).count(), 2);
        assert!(svg.contains("Priority matrix: 2 ideas"));
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(escape_xml("a\u{0}b\u{7}c\td"), "abc\td");
    }
}
