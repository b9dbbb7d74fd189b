//! When an AED can be reached, judged at moments of a reference week.
//!
//! The rule, in order: an AED its owner keeps private is never counted; `24/7` is always
//! available; stated `opening_hours` are evaluated at the moment (the `opening-hours` crate);
//! without stated hours an AED outside a building is taken as available day and night (outdoor
//! cabinets exist to be reachable at any hour; the alert system counts them as 24/7 unless they
//! are locked) and one inside a building or of unknown placement as *not* available, because
//! nothing says when its building is open. That last choice makes coverage a lower bound; the
//! published studies find coverage falling most at night for exactly these AEDs.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::registration::{Aed, Hours, Placement};

/// A moment at which availability is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// `day`, `evening`, `night` or `weekend`.
    pub name: &'static str,
    /// The local date and time.
    pub at: NaiveDateTime,
}

/// Tuesday 11 March 2025, a working day and no public holiday in the Netherlands: the reference
/// week runs from Monday the 10th.
fn reference_monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 10).expect("a valid date")
}

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("a valid hour"))
}

/// A weekday at 10:00 (day), 20:00 (evening) and the following night at 03:00 (night), the
/// three moments the studies of AED availability compare, and Saturday at 14:00 (weekend), when
/// offices and schools with an AED inside are closed and shops and sports clubs open.
pub fn reference_moments() -> [Moment; 4] {
    let tuesday = reference_monday() + Duration::days(1);
    debug_assert_eq!(tuesday.weekday(), Weekday::Tue);
    let saturday = reference_monday() + Duration::days(5);
    debug_assert_eq!(saturday.weekday(), Weekday::Sat);
    [
        Moment {
            name: "day",
            at: at(tuesday, 10),
        },
        Moment {
            name: "evening",
            at: at(tuesday, 20),
        },
        Moment {
            name: "night",
            at: at(tuesday + Duration::days(1), 3),
        },
        Moment {
            name: "weekend",
            at: at(saturday, 14),
        },
    ]
}

/// Whether `aed` can be reached at `at` (see the module's rule).
pub fn available_at(aed: &Aed, at: NaiveDateTime) -> bool {
    if !aed.public {
        return false;
    }
    match &aed.hours {
        Hours::Always => true,
        Hours::Schedule(hours) => hours.is_open(at),
        Hours::Unstated => aed.placement == Placement::Outdoor,
    }
}

/// Whether `aed` can be reached at every hour of the reference week: what the alert system
/// counts as a 24/7 AED.
pub fn always_available(aed: &Aed) -> bool {
    let monday = reference_monday();
    (0..7 * 24).all(|hour| {
        let day = monday + Duration::days(i64::from(hour / 24));
        available_at(aed, at(day, hour % 24))
    })
}
