//! `BioAddr::from_str` and what it leads to: any string either parses into an
//! address whose `Display` parses back to the same address, or fails with
//! an error; never a crash.
#![no_main]

use std::net::SocketAddr;

use biosock::BioAddr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match text.parse::<BioAddr>() {
        Ok(addr) => {
            let shown = addr.to_string();
            let again: BioAddr = shown.parse().expect("Display output parses");
            assert_eq!(again, addr, "{text:?} -> {shown:?}");
            let sa = SocketAddr::try_from(&addr).expect("an IP address");
            assert_eq!(BioAddr::from(sa), addr);
        }
        Err(e) => {
            let _ = e.to_string();
            let _ = e.kind();
        }
    }
});
