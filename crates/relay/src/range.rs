//! The `Range` header of an envelope download (RFC 9110 §14), so a client can resume
//! a large envelope where a broken connection left it.
//!
//! One range only: `bytes=N-`, `bytes=N-M` and the suffix form `bytes=-N`. Anything
//! else (several ranges, other units, garbage) is ignored and the whole envelope is
//! sent, which RFC 9110 allows and every client copes with.

/// What to send back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// 200 with every byte.
    Whole,
    /// 206 with bytes `start..=end` (inclusive, as `Content-Range` writes them).
    Part { start: u64, end: u64 },
    /// 416: a valid range that starts at or after the end of the envelope.
    Unsatisfiable,
}

impl RangeAnswer {
    /// Reads `header` (the `Range` value, if the request had one) for a body of `size`
    /// bytes. Never panics, whatever the header holds.
    pub fn for_header(header: Option<&str>, size: u64) -> RangeAnswer {
        match header.and_then(parse) {
            None => RangeAnswer::Whole,
            Some(spec) => spec.resolve(size),
        }
    }
}

/// One parsed range-spec, not yet held against a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spec {
    From(u64),
    Between(u64, u64),
    Last(u64),
}

impl Spec {
    fn resolve(self, size: u64) -> RangeAnswer {
        match self {
            Spec::From(start) if start < size => RangeAnswer::Part {
                start,
                end: size - 1,
            },
            Spec::Between(start, end) if start < size => RangeAnswer::Part {
                start,
                end: end.min(size - 1),
            },
            Spec::Last(n) if n > 0 && size > 0 => RangeAnswer::Part {
                start: size - n.min(size),
                end: size - 1,
            },
            _ => RangeAnswer::Unsatisfiable,
        }
    }
}

fn parse(header: &str) -> Option<Spec> {
    let (unit, spec) = header.trim().split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return None;
    }
    let (first, last) = spec.trim().split_once('-')?;
    let number = |s: &str| -> Option<u64> {
        // `u64::from_str` accepts a leading `+`; the grammar does not.
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    match (first.trim(), last.trim()) {
        ("", suffix) => number(suffix).map(Spec::Last),
        (first, "") => number(first).map(Spec::From),
        (first, last) => {
            let (first, last) = (number(first)?, number(last)?);
            // A last position before the first makes the range invalid: ignored.
            (last >= first).then_some(Spec::Between(first, last))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(h: &str, size: u64) -> RangeAnswer {
        RangeAnswer::for_header(Some(h), size)
    }

    #[test]
    fn the_forms_clients_send() {
        assert_eq!(
            answer("bytes=0-", 10),
            RangeAnswer::Part { start: 0, end: 9 }
        );
        assert_eq!(
            answer("bytes=4-", 10),
            RangeAnswer::Part { start: 4, end: 9 }
        );
        assert_eq!(
            answer("bytes=2-5", 10),
            RangeAnswer::Part { start: 2, end: 5 }
        );
        assert_eq!(
            answer("bytes=2-500", 10),
            RangeAnswer::Part { start: 2, end: 9 }
        );
        assert_eq!(
            answer("bytes=-3", 10),
            RangeAnswer::Part { start: 7, end: 9 }
        );
        assert_eq!(
            answer("bytes=-30", 10),
            RangeAnswer::Part { start: 0, end: 9 }
        );
        assert_eq!(
            answer("Bytes = 1-1", 10),
            RangeAnswer::Part { start: 1, end: 1 }
        );
    }

    #[test]
    fn ranges_past_the_end_are_unsatisfiable() {
        assert_eq!(answer("bytes=10-", 10), RangeAnswer::Unsatisfiable);
        assert_eq!(answer("bytes=10-20", 10), RangeAnswer::Unsatisfiable);
        assert_eq!(answer("bytes=-0", 10), RangeAnswer::Unsatisfiable);
        assert_eq!(answer("bytes=0-", 0), RangeAnswer::Unsatisfiable);
        assert_eq!(answer("bytes=-5", 0), RangeAnswer::Unsatisfiable);
    }

    #[test]
    fn what_we_do_not_serve_is_ignored() {
        for h in [
            "bytes=5-2",
            "bytes=0-1,4-5",
            "items=0-1",
            "bytes=",
            "bytes=-",
            "bytes=+1-2",
            "bytes=a-b",
            "bytes=99999999999999999999999-",
            "garbage",
        ] {
            assert_eq!(answer(h, 10), RangeAnswer::Whole, "{h}");
        }
        assert_eq!(RangeAnswer::for_header(None, 10), RangeAnswer::Whole);
    }

    proptest! {
        #[test]
        fn any_header_is_answered_and_parts_stay_inside_the_body(
            header in prop_oneof![
                "\\PC{0,40}",
                "bytes=[0-9]{0,21}-[0-9]{0,21}",
                "bytes=-[0-9]{0,21}",
                "[bB][yY][tT][eE][sS] ?= ?[0-9 ,-]{0,30}",
            ],
            size in prop_oneof![Just(0u64), Just(1u64), 0u64..10_000, Just(u64::MAX)],
        ) {
            if let RangeAnswer::Part { start, end } = RangeAnswer::for_header(Some(&header), size) {
                prop_assert!(start <= end, "{header}: {start} > {end}");
                prop_assert!(end < size, "{header}: end {end} outside {size}");
            }
        }

        #[test]
        fn a_satisfiable_explicit_range_is_served_as_asked(start in 0u64..1000, len in 1u64..1000, size in 1u64..3000) {
            let end = start + len - 1;
            let got = answer(&format!("bytes={start}-{end}"), size);
            if start < size {
                prop_assert_eq!(got, RangeAnswer::Part { start, end: end.min(size - 1) });
            } else {
                prop_assert_eq!(got, RangeAnswer::Unsatisfiable);
            }
        }
    }
}
