//! The demo workspace loads on both backends (a large mixed transaction of
//! ideas, notes, links and state changes), and loading it twice is a no-op.

use super::*;
use bearing_app::demo::DEMO_ADMIN_EMAIL;
use bearing_testkit::backend_test;

backend_test!(demo_workspace_loads_once, |t| async move {
    let app = app(&t);
    let first = app.load_demo().await.unwrap();
    assert!(first.loaded);
    assert_eq!(first.admin.email, DEMO_ADMIN_EMAIL);

    let counts = t.db.note_counts().await.unwrap();
    assert_eq!(
        counts.iter().map(|(_, n)| *n).sum::<i64>(),
        first.notes as i64
    );
    let ideas = walk(200, async |p| {
        t.db.list_ideas(&IdeaFilter::default(), IdeaSort::Newest, &p)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(ideas.iter().map(Vec::len).sum::<usize>(), first.ideas);
    let customers = walk(200, async |p| {
        t.db.list_customers(&CustomerFilter::default(), CustomerSort::Name, &p)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(
        customers.iter().map(Vec::len).sum::<usize>(),
        first.customers
    );
    let users_before = t.db.count_users().await.unwrap();

    let second = app.load_demo().await.unwrap();
    assert!(!second.loaded);
    assert_eq!(second.admin, first.admin);
    assert_eq!(t.db.count_users().await.unwrap(), users_before);
    assert_eq!(
        t.db.note_counts()
            .await
            .unwrap()
            .iter()
            .map(|(_, n)| *n)
            .sum::<i64>(),
        first.notes as i64
    );
});
