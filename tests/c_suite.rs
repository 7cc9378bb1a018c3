//! The C side's own tests, run through `make -C c` so that `cargo test`
//! covers them: the C suite, the differential test against the system's
//! OpenSSL libcrypto, the coexistence test, and the suite under ASan + UBSan
//! and under valgrind. Needs gcc, make, valgrind and libssl-dev (`.ci/run`
//! installs them).

use std::path::PathBuf;
use std::process::Command;

/// Run `make -C c <targets>` in a build directory of its own; panic with
/// make's output when it fails.
fn make(dir: &str, targets: &[&str]) -> String {
    let build = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c").join(dir);
    let out = Command::new("make")
        .arg("-C")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/c"))
        .arg(format!("BUILD={}", build.display()))
        .arg("WERROR=1")
        .args(targets)
        .output()
        .expect("run make (is it installed?)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "make {targets:?} failed (needs gcc, make, valgrind, libssl-dev):\n{text}"
    );
    text
}

/// The count in a "<name>: N passed, 0 failed" line.
fn passed(text: &str, name: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{name}: ")) && l.ends_with(" passed, 0 failed"))
        .unwrap_or_else(|| panic!("no clean result line for {name} in:\n{text}"));
    line[name.len() + 2..].split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn c_suite() {
    let out = make("unit", &["unit"]);
    assert!(passed(&out, "test_biosock") > 400, "{out}");
}

/// The lines of a "differential vs OpenSSL <v>: N lines identical" line.
fn identical(text: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.starts_with("differential vs OpenSSL ") && l.ends_with(" lines identical"))
        .unwrap_or_else(|| panic!("no differential result in:\n{text}"));
    line.rsplit(": ")
        .next()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn c_differential_against_libcrypto() {
    let out = make("diff", &["diff"]);
    assert!(identical(&out) > 900, "{out}");
}

/// Built with -D_GNU_SOURCE -Werror (GNU strerror_r), the library still
/// prints the system's error text: the same transcript.
#[test]
fn c_differential_with_gnu_source() {
    let out = make("gnu", &["gnu"]);
    assert!(identical(&out) > 900, "{out}");
}

#[test]
fn c_coexists_with_libcrypto_in_one_process() {
    let out = make("coexist", &["coexist"]);
    assert!(passed(&out, "coexist") >= 16, "{out}");
}

#[test]
fn c_suite_under_asan_and_ubsan() {
    let out = make("asan", &["asan"]);
    assert!(passed(&out, "test_biosock") > 400, "{out}");
}

#[test]
fn c_suite_under_valgrind() {
    let out = make("valgrind", &["valgrind"]);
    assert!(passed(&out, "test_biosock") > 400, "{out}");
}

#[test]
fn c_side_allocates_nothing_per_cycle() {
    let out = make("heap", &["heap"]);
    let line = out
        .lines()
        .find(|l| l.starts_with("heap: "))
        .expect("heap result");
    let counts: Vec<&str> = line
        .split(": ")
        .skip(2)
        .map(|s| s.split(';').next().unwrap())
        .collect();
    assert_eq!(counts.len(), 2, "{line}");
    assert_eq!(counts[0], counts[1], "{line}");
}

#[test]
fn c_header_compiles_as_c99_c11_c17_and_cpp() {
    let out = make("header", &["header"]);
    assert!(out.contains("header: compiles as C99, C11, C17 and C++"), "{out}");
}

/// The scenario asks the resolver only what /etc/hosts and /etc/services
/// answer: run under strace, it connects to no DNS server (port 53).
#[test]
fn c_scenario_sends_no_dns_query() {
    make("diff", &["diff"]);
    let build = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c").join("diff");
    let trace = build.join("scenario.strace");
    for bin in ["scenario_biosock", "scenario_openssl"] {
        let status = Command::new("strace")
            .args(["-f", "-e", "trace=connect,sendto,sendmmsg", "-o"])
            .arg(&trace)
            .arg(build.join(bin))
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run strace (is it installed?)");
        assert!(status.success(), "{bin} under strace: {status}");
        let calls = std::fs::read_to_string(&trace).unwrap();
        assert!(calls.contains("connect("), "strace saw no connect at all in {bin}");
        let dns: Vec<&str> = calls.lines().filter(|l| l.contains("htons(53)")).collect();
        assert!(dns.is_empty(), "{bin} sent DNS queries:\n{}", dns.join("\n"));
    }
}
