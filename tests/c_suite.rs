//! The C side's own tests, so that `cargo test` covers them.
//!
//! With a C compiler alone (what building biosock needs anyway): the C suite,
//! the suite under ASan + UBSan, and the header compiled as C99, C11 and
//! C17, each built here with `$CC` (default `cc`), no make.
//!
//! With `--features ci` (or `--all-features`), through `make -C c`: the
//! differential test against the system's OpenSSL libcrypto (libssl-dev),
//! the same with the library built with `-D_GNU_SOURCE`, the coexistence
//! test (libssl-dev), the suite under valgrind and its heap count
//! (valgrind), the header as C++ (g++), and the DNS check (strace). Without
//! the feature they are reported as ignored, with what they need.
// Unix: make and the POSIX C suite (Windows: c/tests/portable.c under wine). tests/portable.rs is the suite every platform runs.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A build directory of this test's own.
fn build_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run `cmd`; panic with its output when it fails, else return the output.
fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what} failed ({}):\n{text}", out.status);
    text
}

/// The library's sources, sorted.
fn library_sources() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("c/src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    v.sort();
    v
}

/// `$CC -std=<std> -Wall -Wextra -Wpedantic -Werror <flags> <sources> -o out`.
fn cc(std: &str, flags: &[&str], sources: &[PathBuf], out: &Path) {
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    run(
        Command::new(&compiler)
            .arg(format!("-std={std}"))
            .args(["-Wall", "-Wextra", "-Wpedantic", "-Werror", "-g"])
            .arg(format!("-I{}", root().join("c/include").display()))
            .args(flags)
            .args(sources)
            .arg("-o")
            .arg(out),
        &format!("compiling {} with {compiler}", out.display()),
    );
}

/// Build the C suite with `flags`, run it, and return how many checks passed.
fn c_suite_with(dir: &str, flags: &[&str], env: &[(&str, &str)]) -> usize {
    let bin = build_dir(dir).join("test_biosock");
    let mut sources = library_sources();
    sources.push(root().join("c/tests/test_biosock.c"));
    let mut all_flags = flags.to_vec();
    all_flags.push("-pthread");
    cc("c11", &all_flags, &sources, &bin);
    let out = run(
        Command::new(&bin)
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null()),
        "the C suite",
    );
    passed(&out, "test_biosock")
}

/// The count in a "<name>: N passed, 0 failed" line.
fn passed(text: &str, name: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{name}: ")) && l.ends_with(" passed, 0 failed"))
        .unwrap_or_else(|| panic!("no clean result line for {name} in:\n{text}"));
    line[name.len() + 2..].split(' ').next().unwrap().parse().unwrap()
}

/// How many `CHECK(` the C suite's source holds. What the comparison shows
/// is a floor: a run that passes fewer checks than the source has sites
/// skipped a good part of the suite (loops run many sites many times, so it
/// cannot show that each site ran; the suite's own `0 failed` line and the
/// per-group counts it prints are the rest).
fn checks_in_source() -> usize {
    std::fs::read_to_string(root().join("c/tests/test_biosock.c"))
        .unwrap()
        .matches("CHECK(")
        .count()
}

#[test]
fn c_suite() {
    let n = c_suite_with("unit", &["-O2"], &[]);
    assert!(
        n >= checks_in_source(),
        "{n} checks passed, the source has {}",
        checks_in_source()
    );
}

#[test]
fn c_suite_under_asan_and_ubsan() {
    let san = [
        "-O1",
        "-fsanitize=address,undefined",
        "-fno-omit-frame-pointer",
        "-fno-sanitize-recover=all",
    ];
    let n = c_suite_with("asan", &san, &[("ASAN_OPTIONS", "detect_leaks=1")]);
    assert!(n >= checks_in_source());
}

#[test]
fn c_header_compiles_as_c99_c11_and_c17() {
    let out = build_dir("header").join("header_only.o");
    for std in ["c99", "c11", "c17"] {
        cc(std, &["-c"], &[root().join("c/tests/header_only.c")], &out);
    }
}

/// `make -C c <targets>` in a build directory of its own.
fn make(dir: &str, targets: &[&str]) -> String {
    run(
        Command::new("make")
            .arg("-C")
            .arg(root().join("c"))
            .arg(format!("BUILD={}", build_dir(dir).display()))
            .arg("WERROR=1")
            .args(targets),
        &format!("make {targets:?}"),
    )
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

/// The transcript's lines: the differential compares every one of them.
fn transcript_lines(dir: &str) -> usize {
    let bytes = std::fs::read(build_dir(dir).join("transcript.biosock-3.0")).unwrap();
    bytes.iter().filter(|&&b| b == b'\n').count()
}

#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and libssl-dev: cargo test --features ci"
)]
fn c_differential_against_libcrypto() {
    let out = make("diff", &["diff"]);
    assert_eq!(identical(&out), transcript_lines("diff"), "{out}");
    assert!(out.contains("scenario: openssl done") && out.contains("scenario: biosock done"));
}

/// Built with -D_GNU_SOURCE -Werror (GNU strerror_r), the library still
/// prints the system's error text: the same transcript.
#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and libssl-dev: cargo test --features ci"
)]
fn c_differential_with_gnu_source() {
    let out = make("gnu", &["gnu"]);
    assert_eq!(identical(&out), transcript_lines("gnu/gnu"), "{out}");
}

#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and libssl-dev: cargo test --features ci"
)]
fn c_coexists_with_libcrypto_in_one_process() {
    let out = make("coexist", &["coexist"]);
    assert!(passed(&out, "coexist") >= 16, "{out}");
}

#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and valgrind: cargo test --features ci"
)]
fn c_suite_under_valgrind() {
    let out = make("valgrind", &["valgrind"]);
    // --quick leaves out the long fd-leak loop; the rest all run.
    assert!(passed(&out, "test_biosock") > checks_in_source() / 2, "{out}");
}

#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and valgrind: cargo test --features ci"
)]
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

/// What a thread costs (`make rss`): the library's static TLS is at most
/// 64 bytes, an idle thread of a process linking it costs what a plain
/// one does, and a thread after one error no more than with libcrypto.
#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and libssl-dev: cargo test --features ci"
)]
fn a_thread_costs_no_more_than_with_openssl() {
    let out = make("rss", &["rss"]);
    let tls: usize = out
        .lines()
        .find_map(|l| l.strip_prefix("rss: static TLS of libbiosock.a: "))
        .and_then(|l| l.strip_suffix(" bytes"))
        .expect("TLS line")
        .parse()
        .unwrap();
    assert!(tls <= 64, "{out}");
    assert!(out.contains("rss: KiB per idle thread: plain "), "{out}");
}

#[test]
#[cfg_attr(not(feature = "ci"), ignore = "needs make and g++: cargo test --features ci")]
fn c_header_compiles_as_cpp_too() {
    let out = make("header", &["header"]);
    assert!(out.contains("header: compiles as C99, C11, C17 and C++"), "{out}");
}

/// biosock.h in one translation unit with every public header of the
/// system's OpenSSL, before them and after them, warning-free (`make
/// headers`; CI runs the same against 3.5 and 4.0).
#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and libssl-dev: cargo test --features ci"
)]
fn c_header_coexists_with_every_openssl_header() {
    let out = make("headers", &["headers"]);
    assert!(out.contains("both orders, -Wall -Wextra -Werror"), "{out}");
}

/// Every syscall of every socket call failed in turn with each of ten
/// errnos (an LD_PRELOAD shim): against biosock, under ASan + UBSan too,
/// and against libcrypto; `make faults` fails on any difference or leak.
#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make and libssl-dev: cargo test --features ci"
)]
fn c_every_syscall_failed_in_turn_as_openssl() {
    let out = make("faults", &["faults"]);
    let line = out
        .lines()
        .find(|l| l.starts_with("faults: ") && l.contains(" differences from OpenSSL"))
        .unwrap_or_else(|| panic!("no fault summary in:\n{out}"));
    assert!(line.contains(", 0 differences from OpenSSL, 0 leaks;"), "{line}");
    let cases: usize = line["faults: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Ten errnos at each of the sites the dry runs listed.
    let sites = out.lines().filter(|l| l.contains(" calls:")).count();
    assert!(cases >= 10 * sites, "{line}");
}

/// The scenario asks the resolver only what /etc/hosts and /etc/services
/// answer: run under strace, it connects to no DNS server (port 53).
#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs make, libssl-dev and strace: cargo test --features ci"
)]
fn c_scenario_sends_no_dns_query() {
    make("diff", &["diff"]);
    let build = build_dir("diff");
    let trace = build.join("scenario.strace");
    for bin in ["scenario_biosock", "scenario_openssl"] {
        run(
            Command::new("strace")
                .args(["-f", "-e", "trace=connect,sendto,sendmmsg", "-o"])
                .arg(&trace)
                .arg(build.join(bin)),
            &format!("{bin} under strace"),
        );
        let calls = std::fs::read_to_string(&trace).unwrap();
        assert!(
            calls.contains("connect("),
            "strace saw no connect at all in {bin}"
        );
        let dns: Vec<&str> = calls.lines().filter(|l| l.contains("htons(53)")).collect();
        assert!(dns.is_empty(), "{bin} sent DNS queries:\n{}", dns.join("\n"));
    }
}
