//! Compiles the C library in `c/` with the `cc` crate and, with the
//! `bindgen` feature, regenerates the raw bindings from `c/include/biosock.h`
//! and `c/src/rust.h` (the crate's private entry points).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it"));
    let include = root.join("c/include");

    compile_c(&root.join("c/src"), &include);

    // Give crates that build C against us the header: DEP_BIOSOCK_INCLUDE.
    let exported = out.join("include");
    fs::create_dir_all(&exported).expect("create OUT_DIR/include");
    fs::copy(include.join("biosock.h"), exported.join("biosock.h")).expect("copy biosock.h");
    println!("cargo:include={}", exported.display());
    println!("cargo:rerun-if-changed=c/include");
    println!("cargo:rerun-if-changed=c/src");
    println!("cargo:rerun-if-env-changed=BIOSOCK_WERROR");

    #[cfg(feature = "bindgen")]
    generate_bindings(&root, &out);
}

fn compile_c(src: &Path, include: &Path) {
    let mut sources: Vec<PathBuf> = fs::read_dir(src)
        .expect("read c/src")
        .map(|e| e.expect("read c/src entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();

    let mut build = cc::Build::new();
    build
        .files(&sources)
        .include(include)
        .std("c11")
        .warnings(true)
        .extra_warnings(true)
        .flag_if_supported("-Wpedantic")
        .flag_if_supported("-fvisibility=hidden");
    // ELF only: the exported functions that others call (BIO_socket_nbio
    // from BIO_connect, say) may be inlined, since nothing interposes them.
    // (Mach-O and PE have no such interposition; clang would warn.)
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    // And calls into the C library (socket, connect, ...) go through the
    // GOT, not a PLT stub: one jump fewer per call, and still resolved by
    // the dynamic linker, so interposition (LD_PRELOAD) works as before.
    if !matches!(os.as_str(), "macos" | "ios" | "windows") {
        build.flag_if_supported("-fno-semantic-interposition");
        build.flag_if_supported("-fno-plt");
    }
    // Warnings are errors only when CI asks for it (BIOSOCK_WERROR=1).
    if env::var_os("BIOSOCK_WERROR").is_some_and(|v| v == "1") {
        build.warnings_into_errors(true);
    }
    build.compile("biosock");
    if os == "windows" {
        println!("cargo:rustc-link-lib=ws2_32");
    }
}

#[cfg(feature = "bindgen")]
fn generate_bindings(root: &Path, out: &Path) {
    /// The link-level names of OpenSSL's functions carry the `biosock_`
    /// prefix; Rust keeps OpenSSL's names and links them with
    /// `#[link_name]`. bindgen reads the header with `BIOSOCK_BINDGEN`
    /// defined, which drops the renaming macros so that clang keeps each
    /// function's doc comment. biosock's own extensions
    /// (`biosock_socket_wait_ms`) keep their prefixed name in Rust too.
    #[derive(Debug)]
    struct LinkPrefix;
    impl bindgen::callbacks::ParseCallbacks for LinkPrefix {
        fn generated_name_override(&self, item: bindgen::callbacks::ItemInfo<'_>) -> Option<String> {
            // biosock_OPENSSL_free, declared under its link name.
            item.name
                .strip_prefix("biosock_OPENSSL_")
                .map(|rest| format!("OPENSSL_{rest}"))
        }
        fn generated_link_name_override(&self, item: bindgen::callbacks::ItemInfo<'_>) -> Option<String> {
            let openssl_name = ["BIO_", "ERR_"].iter().any(|p| item.name.starts_with(p));
            let function = matches!(item.kind, bindgen::callbacks::ItemKind::Function);
            (function && openssl_name).then(|| format!("biosock_{}", item.name))
        }
    }

    let libc_types = [
        "sockaddr",
        "sockaddr_in",
        "sockaddr_in6",
        "sockaddr_un",
        "in_addr",
        "in6_addr.*",
        "hostent",
        "socklen_t",
        "sa_family_t",
        "in_port_t",
        "time_t",
        "FILE",
        "_IO_.*",
        "va_list",
        "__.*",
    ];
    let mut builder = bindgen::Builder::default()
        .header(root.join("c/include/biosock.h").to_str().expect("utf-8 path"))
        // The crate's own entry points, which the C API does not declare.
        .header(root.join("c/src/rust.h").to_str().expect("utf-8 path"))
        .clang_arg(format!("-I{}", root.join("c/include").display()))
        .clang_arg("-DBIOSOCK_BINDGEN")
        .parse_callbacks(Box::new(LinkPrefix))
        .allowlist_function("biosock_.*|BIO_.*|ERR_.*|OPENSSL_.*")
        .allowlist_type("BIO_.*|bio_.*")
        .allowlist_var("BIO_.*|BIOSOCK_SOCK_.*|BIOSOCK_.*_OPTIONS|BIOSOCK_HE_.*|ERR_.*|INVALID_SOCKET")
        .default_enum_style(bindgen::EnumVariation::Consts)
        .prepend_enum_name(false)
        .derive_debug(false)
        .derive_copy(true)
        // No layout tests: sizes differ between targets (sockaddr_un,
        // pointers, long), and the bindings are target-independent: the
        // sockaddr types come from the platform module (libc on Unix), and
        // a test checks every size against biosock_layout() of the C side.
        .layout_tests(false)
        // va_list is the one type bindgen cannot make target-independent;
        // the two va_list functions are for C callers anyway.
        .blocklist_function("ERR_add_error_vdata|ERR_vset_error")
        // A real union (its members' types are the platform's, which bindgen
        // cannot see are Copy), not a blob of the build machine's size.
        .manually_drop_union("bio_addr_st")
        // prettyplease, not rustfmt: the output must not depend on which
        // rustfmt (or rustfmt.toml) a machine has.
        .formatter(bindgen::Formatter::Prettyplease)
        .generate_comments(true)
        .raw_line(
            "use self::sys::{hostent, sockaddr, sockaddr_in, sockaddr_in6, sockaddr_un, socklen_t, time_t, FILE};",
        );
    for t in libc_types {
        builder = builder.blocklist_type(t).blocklist_item(t);
    }
    let bindings = builder.generate().expect("bindgen failed on c/include/biosock.h");
    let path = out.join("bindings.rs");
    // bindgen marks overridden link names "\u{1}name": verbatim, which is
    // right on ELF but not where C symbols carry a prefix (macOS's "_"); a
    // plain name gets the target's prefix from the compiler.
    let text = bindings.to_string().replace("\"\\u{1}biosock_", "\"biosock_");
    fs::write(&path, text).expect("write bindings.rs");
    // BIOSOCK_UPDATE_BINDINGS=1 refreshes the committed copy.
    println!("cargo:rerun-if-env-changed=BIOSOCK_UPDATE_BINDINGS");
    if env::var_os("BIOSOCK_UPDATE_BINDINGS").is_some_and(|v| v == "1") {
        fs::copy(&path, root.join("src/ffi/bindings.rs")).expect("update src/ffi/bindings.rs");
    }
}
