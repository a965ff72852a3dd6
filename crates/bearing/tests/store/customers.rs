//! Customers and contacts: round trips, case-insensitive unique names (on
//! insert and rename), update history, filters, and contacts.

use super::*;
use bearing_app::AppError;
use bearing_testkit::backend_test;

backend_test!(customer_round_trips_and_is_found_by_name, |t| async move {
    let owner = pm(&t.db).await;
    let input = NewCustomer {
        name: " Northwind Traders ".into(),
        domain: Some("Northwind.Example".into()),
        arr: 1_250_000,
        segment: Segment::Enterprise,
        owner_id: Some(owner.user.id),
    }
    .validate()
    .unwrap();
    let c =
        t.db.insert_customer(input, Some(owner.user.id))
            .await
            .unwrap();
    assert_eq!(c.name, "Northwind Traders");
    assert_eq!(c.domain.as_deref(), Some("northwind.example"));
    assert_eq!(
        (c.arr, c.segment, c.owner_id),
        (1_250_000, Segment::Enterprise, Some(owner.user.id))
    );
    assert_eq!(c.created_at, c.updated_at);
    assert_eq!(t.db.customer(c.id).await.unwrap(), c);
    assert_eq!(t.db.customer_by_name("northwind traders").await.unwrap(), c);
    assert_eq!(
        t.db.customer_by_name("  NORTHWIND TRADERS ").await.unwrap(),
        c
    );
    assert_not_found(t.db.customer_by_name("Northwind").await);
    assert_not_found(t.db.customer(CustomerId::new()).await);

    let history = t.db.activity_of(c.id.0, 10).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].entity_type.as_str(), history[0].action.as_str()),
        ("customer", "created")
    );
    assert_eq!(history[0].after.as_ref().unwrap()["arr"], 1_250_000);
});

backend_test!(
    customer_names_are_unique_case_insensitively,
    |t| async move {
        let acme =
            t.db.insert_customer(new_customer("Acme", 10, Segment::Smb), None)
                .await
                .unwrap();
        for dup in ["Acme", "ACME", "acme"] {
            match t
                .db
                .insert_customer(new_customer(dup, 20, Segment::Startup), None)
                .await
            {
                Err(AppError::Invalid(v)) if v.field == "name" => {}
                other => panic!("inserting {dup:?} next to Acme: expected Conflict, got {other:?}"),
            }
        }
        // Renaming onto a taken name conflicts too, and changes nothing.
        let globex =
            t.db.insert_customer(new_customer("Globex", 30, Segment::Smb), None)
                .await
                .unwrap();
        match t
            .db
            .update_customer(
                globex.id,
                CustomerChanges {
                    name: Some("aCmE".into()),
                    arr: Some(99),
                    ..Default::default()
                },
                None,
            )
            .await
        {
            Err(AppError::Invalid(v)) if v.field == "name" => {}
            other => panic!("renaming Globex to aCmE: expected Conflict, got {other:?}"),
        }
        assert_eq!(t.db.customer(globex.id).await.unwrap(), globex);
        assert_eq!(t.db.customer(acme.id).await.unwrap(), acme);
        assert_eq!(
            t.db.activity_of(globex.id.0, 10).await.unwrap().len(),
            1,
            "a failed rename leaves no history"
        );

        // A customer may change the case of its own name.
        let renamed =
            t.db.update_customer(
                acme.id,
                CustomerChanges {
                    name: Some("ACME".into()),
                    ..Default::default()
                },
                None,
            )
            .await
            .unwrap();
        assert_eq!(renamed.name, "ACME");

        // The app turns the conflict into a validation error on `name`.
        let app = app(&t);
        let pat = pm(&t.db).await;
        match app
            .create_customer(&pat, new_customer("globex", 1, Segment::Smb))
            .await
        {
            Err(AppError::Invalid(e)) => assert_eq!(e.field, "name"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
);

backend_test!(updating_a_customer_records_history, |t| async move {
    let owner = pm(&t.db).await;
    let c =
        t.db.insert_customer(new_customer("Initech", 5_000, Segment::Smb), None)
            .await
            .unwrap();
    let ch = CustomerChanges {
        arr: Some(75_000),
        segment: Some(Segment::MidMarket),
        domain: Some("initech.example".into()),
        owner_id: Some(owner.user.id),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let updated =
        t.db.update_customer(c.id, ch, Some(owner.user.id))
            .await
            .unwrap();
    assert_eq!((updated.arr, updated.segment), (75_000, Segment::MidMarket));
    assert_eq!(updated.domain.as_deref(), Some("initech.example"));
    assert_eq!(updated.owner_id, Some(owner.user.id));
    assert_eq!(updated.name, "Initech");
    assert_eq!(t.db.customer(c.id).await.unwrap(), updated);

    let history = t.db.activity_of(c.id.0, 10).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["updated", "created"]);
    assert_eq!(history[0].before.as_ref().unwrap()["arr"], 5_000);
    assert_eq!(history[0].after.as_ref().unwrap()["arr"], 75_000);
    assert_eq!(history[0].after.as_ref().unwrap()["segment"], "mid_market");
    assert_app_not_found(
        t.db.update_customer(CustomerId::new(), CustomerChanges::default(), None)
            .await,
    );
});

backend_test!(list_customers_filters, |t| async move {
    let pat = pm(&t.db).await;
    let mut a = new_customer("A Corp", 1, Segment::Enterprise);
    a.owner_id = Some(pat.user.id);
    let a = t.db.insert_customer(a, None).await.unwrap();
    t.db.insert_customer(new_customer("B Corp", 2, Segment::Enterprise), None)
        .await
        .unwrap();
    let c =
        t.db.insert_customer(new_customer("C Corp", 3, Segment::Smb), None)
            .await
            .unwrap();
    let page = PageRequest {
        after: None,
        limit: 200,
    };
    let names = async |f: CustomerFilter| -> Vec<String> {
        t.db.list_customers(&f, CustomerSort::Name, &page)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(
        names(CustomerFilter::default()).await,
        ["A Corp", "B Corp", "C Corp"]
    );
    assert_eq!(
        names(CustomerFilter {
            segment: Some(Segment::Enterprise),
            owner_id: None
        })
        .await,
        ["A Corp", "B Corp"]
    );
    assert_eq!(
        names(CustomerFilter {
            segment: None,
            owner_id: Some(pat.user.id)
        })
        .await,
        ["A Corp"]
    );
    assert!(
        names(CustomerFilter {
            segment: Some(Segment::Startup),
            owner_id: None
        })
        .await
        .is_empty()
    );

    let mut by_ids =
        t.db.customers_by_ids(&[c.id, a.id, CustomerId::new()])
            .await
            .unwrap();
    by_ids.sort_by(|x, y| x.name.cmp(&y.name));
    assert_eq!(by_ids, [a, c]);
    assert!(t.db.customers_by_ids(&[]).await.unwrap().is_empty());
});

backend_test!(contacts_belong_to_customers, |t| async move {
    let acme =
        t.db.insert_customer(new_customer("Acme", 1, Segment::Smb), None)
            .await
            .unwrap();
    let globex =
        t.db.insert_customer(new_customer("Globex", 1, Segment::Smb), None)
            .await
            .unwrap();
    let contact = |customer_id: CustomerId, name: &str, email: Option<&str>| {
        NewContact {
            customer_id,
            name: name.into(),
            email: email.map(Into::into),
            title: Some("VP Eng".into()),
        }
        .validate()
        .unwrap()
    };
    let zoe =
        t.db.insert_contact(contact(acme.id, "Zoe", Some("zoe@acme.example")))
            .await
            .unwrap();
    let adam =
        t.db.insert_contact(contact(acme.id, "Adam", None))
            .await
            .unwrap();
    let gil =
        t.db.insert_contact(contact(globex.id, "Gil", None))
            .await
            .unwrap();
    assert_eq!(
        (
            zoe.customer_id,
            zoe.name.as_str(),
            zoe.email.as_deref(),
            zoe.title.as_deref()
        ),
        (acme.id, "Zoe", Some("zoe@acme.example"), Some("VP Eng"))
    );
    assert_eq!(t.db.contact(zoe.id).await.unwrap(), zoe);
    assert_eq!(
        t.db.contacts_of(acme.id).await.unwrap(),
        [adam.clone(), zoe.clone()],
        "by name"
    );
    assert_eq!(
        t.db.contacts_of(globex.id).await.unwrap(),
        std::slice::from_ref(&gil)
    );
    assert!(
        t.db.contacts_of(CustomerId::new())
            .await
            .unwrap()
            .is_empty()
    );
    assert_not_found(t.db.contact(ContactId::new()).await);

    match t
        .db
        .insert_contact(contact(CustomerId::new(), "Nobody", None))
        .await
    {
        Err(AppError::Invalid(v)) => assert_eq!(v.field, "customer_id"),
        other => panic!("a contact at an unknown customer: expected Invalid, got {other:?}"),
    }
});
