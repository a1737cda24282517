//! Projects and designations: flags, eligibility, closing.

use climb_framework::DesignationId;
use climb_people::{Change, Command, DesignationFlag};

use crate::harness::{admin, both_backends, code, day, fw, hire, project};

fn team_lead() -> DesignationId {
    DesignationId::parse("team-lead").expect("id")
}

both_backends! {
    async fn a_designation_below_the_usual_seniority_is_flagged_not_refused(db) {
        let store = db.open().await;
        let junior = hire(&store, "June", "software-engineer", None).await;
        let apollo = project(&store, "Apollo").await;
        let changes = store
            .execute(fw(), admin(), Command::AssignDesignation {
                project: apollo,
                person: junior,
                designation: team_lead(),
                start_date: day(2025, 1, 1),
            })
            .await
            .expect("assigned");
        let flags = changes.iter().find_map(|c| match c {
            Change::DesignationStarted { assignment } => Some(assignment.flags.clone()),
            _ => None,
        });
        assert_eq!(flags, Some(vec![DesignationFlag::BelowUsualSeniority]));
        let reopened = db.open().await;
        let org = reopened.org().await.expect("org");
        let held: Vec<_> = org.designations_of(junior).collect();
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].flags, vec![DesignationFlag::BelowUsualSeniority]);
        assert!(org.project(apollo).expect("project").members.contains(&junior));
    }
}

both_backends! {
    async fn a_designation_outside_its_streams_is_refused(db) {
        let store = db.open().await;
        let em = hire(&store, "Emma", "engineering-manager", None).await;
        let apollo = project(&store, "Apollo").await;
        let result = store
            .execute(fw(), admin(), Command::AssignDesignation {
                project: apollo,
                person: em,
                designation: team_lead(),
                start_date: day(2025, 1, 1),
            })
            .await;
        assert_eq!(code(result), "designation_not_eligible");
    }
}

both_backends! {
    async fn closing_a_project_ends_its_designations_and_refuses_new_ones(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "senior-software-engineer", None).await;
        let bob = hire(&store, "Bob", "staff-engineer", None).await;
        let apollo = project(&store, "Apollo").await;
        store
            .execute(fw(), admin(), Command::AssignDesignation {
                project: apollo,
                person: ada,
                designation: team_lead(),
                start_date: day(2025, 1, 1),
            })
            .await
            .expect("assigned");
        store
            .execute(fw(), admin(), Command::CloseProject { project: apollo, date: day(2025, 6, 30) })
            .await
            .expect("closed");
        let result = store
            .execute(fw(), admin(), Command::AssignDesignation {
                project: apollo,
                person: bob,
                designation: team_lead(),
                start_date: day(2025, 7, 1),
            })
            .await;
        assert_eq!(code(result), "project_closed");

        let reopened = db.open().await;
        let org = reopened.org().await.expect("org");
        assert_eq!(org.designations_of(ada).count(), 0);
        assert!(!org.project(apollo).expect("project").is_open());
        assert_eq!(org.person(ada).map(|p| p.role.as_str()), Some("senior-software-engineer"));
        drop(org);
        let ended: Option<String> = sqlx::query_scalar("SELECT end_date FROM designations WHERE project_id = $1")
            .bind(apollo.0)
            .fetch_one(reopened.pool())
            .await
            .expect("query");
        assert_eq!(ended.as_deref(), Some("2025-06-30"));
    }
}

both_backends! {
    async fn a_new_holder_ends_the_previous_ones_designation(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "senior-software-engineer", None).await;
        let bob = hire(&store, "Bob", "staff-engineer", None).await;
        let apollo = project(&store, "Apollo").await;
        for (who, start) in [(ada, day(2025, 1, 1)), (bob, day(2025, 2, 1))] {
            store
                .execute(fw(), admin(), Command::AssignDesignation {
                    project: apollo,
                    person: who,
                    designation: team_lead(),
                    start_date: start,
                })
                .await
                .expect("assigned");
        }
        let reopened = db.open().await;
        let org = reopened.org().await.expect("org");
        let holders: Vec<_> = org.designations_on(apollo).map(|a| a.person).collect();
        assert_eq!(holders, vec![bob]);
        let members = &org.project(apollo).expect("project").members;
        assert!(members.contains(&ada) && members.contains(&bob));
    }
}
