//! "Test connection" (`mandate_sync::check_relay`, the window's Settings) against real
//! ends: a relay over TLS with the test CA, the same relay under a wrong pin, a port
//! nothing listens on, a name that does not resolve. Each says what is wrong, plainly.

mod common;

use std::time::Duration;

use common::relay::Env;
use mandate_core::exchange::RelayProblem;
use mandate_store::RelayAccess;

fn access(url: &str, ca: Option<String>, pin: Option<&str>) -> RelayAccess {
    RelayAccess {
        url: url.to_owned(),
        account_token: None,
        cert_sha256: pin.map(str::to_owned),
        ca_pem: ca,
    }
}

#[test]
fn test_connection_names_the_problem() {
    let env = Env::new();
    let relay = env.start_relay();
    let ca = std::fs::read_to_string(env.ca()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let check =
        |a: RelayAccess| rt.block_on(mandate_sync::check_relay(&a, Duration::from_secs(10)));

    let ok = check(access(&relay.url, Some(ca.clone()), None));
    assert!(ok.ok, "{ok:?}");
    assert_eq!(ok.problem, None);

    let wrong_pin = check(access(&relay.url, None, Some(&"ab".repeat(32))));
    assert_eq!(
        wrong_pin.problem,
        Some(RelayProblem::Certificate),
        "{wrong_pin:?}"
    );
    assert!(wrong_pin.message.contains("certificate"), "{wrong_pin:?}");

    // Not the test CA: the system's roots do not know it.
    let untrusted = check(access(&relay.url, None, None));
    assert_eq!(
        untrusted.problem,
        Some(RelayProblem::Certificate),
        "{untrusted:?}"
    );

    let port = relay.port();
    relay.kill();
    let refused = check(access(
        &format!("https://127.0.0.1:{port}"),
        Some(ca.clone()),
        None,
    ));
    assert_eq!(refused.problem, Some(RelayProblem::Refused), "{refused:?}");
    assert!(refused.message.contains("refused"), "{refused:?}");

    // `.invalid` never resolves (RFC 2606).
    let dns = check(access("https://relay.mandate-test.invalid", Some(ca), None));
    assert_eq!(dns.problem, Some(RelayProblem::Dns), "{dns:?}");
    assert!(!dns.ok);
}
