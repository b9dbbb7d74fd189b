//! Tag rules per profile, one small way at a time.

use super::*;

fn rule(profile: Profile, tags: &[(&str, &str)]) -> Option<(bool, bool)> {
    let owned: Vec<(String, String)> = tags
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    profile
        .way_rule(&Tags(&owned))
        .map(|r| (r.forward, r.backward))
}

#[test]
fn a_one_way_street_is_one_way_for_cars_and_two_way_on_foot() {
    let tags = [("highway", "residential"), ("oneway", "yes")];
    assert_eq!(rule(Profile::Car, &tags), Some((true, false)));
    assert_eq!(rule(Profile::Foot, &tags), Some((true, true)));
    assert_eq!(rule(Profile::Bicycle, &tags), Some((true, false)));
}

#[test]
fn cyclists_may_ride_against_the_flow_with_oneway_bicycle_no_or_an_opposite_lane() {
    let exempt = [
        ("highway", "residential"),
        ("oneway", "yes"),
        ("oneway:bicycle", "no"),
    ];
    assert_eq!(rule(Profile::Bicycle, &exempt), Some((true, true)));
    let lane = [
        ("highway", "tertiary"),
        ("oneway", "yes"),
        ("cycleway:left", "opposite_lane"),
    ];
    assert_eq!(rule(Profile::Bicycle, &lane), Some((true, true)));
    assert_eq!(rule(Profile::Car, &lane), Some((true, false)));
}

#[test]
fn roundabouts_and_motorways_are_one_way_without_a_oneway_tag() {
    assert_eq!(
        rule(
            Profile::Car,
            &[("highway", "primary"), ("junction", "roundabout")]
        ),
        Some((true, false))
    );
    assert_eq!(
        rule(Profile::Car, &[("highway", "motorway")]),
        Some((true, false))
    );
    assert_eq!(
        rule(
            Profile::Car,
            &[("highway", "residential"), ("oneway", "-1")]
        ),
        Some((false, true))
    );
}

#[test]
fn access_keys_exclude_and_the_most_specific_key_wins() {
    assert_eq!(
        rule(
            Profile::Car,
            &[("highway", "service"), ("access", "private")]
        ),
        None
    );
    assert_eq!(
        rule(
            Profile::Car,
            &[
                ("highway", "service"),
                ("access", "no"),
                ("motor_vehicle", "yes")
            ]
        ),
        Some((true, true))
    );
    assert_eq!(rule(Profile::Bicycle, &[("highway", "footway")]), None);
    assert_eq!(
        rule(
            Profile::Bicycle,
            &[("highway", "footway"), ("bicycle", "yes")]
        ),
        Some((true, true))
    );
    assert_eq!(
        rule(Profile::Foot, &[("highway", "cycleway"), ("foot", "no")]),
        None
    );
    assert_eq!(rule(Profile::Car, &[("highway", "cycleway")]), None);
    assert_eq!(rule(Profile::Foot, &[("highway", "motorway")]), None);
}

#[test]
fn ferries_carry_all_profiles_unless_denied_and_use_the_tagged_duration() {
    let tags = [("route", "ferry"), ("duration", "00:15")];
    assert_eq!(rule(Profile::Car, &tags), Some((true, true)));
    let owned: Vec<(String, String)> = tags
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(
        Profile::Foot.way_rule(&Tags(&owned)).unwrap().duration_s,
        Some(900.0)
    );
    assert_eq!(
        rule(Profile::Car, &[("route", "ferry"), ("motor_vehicle", "no")]),
        None
    );
}

#[test]
fn maxspeed_values_are_read_in_kilometres_per_hour() {
    assert_eq!(parse_maxspeed_kmh("50"), Some(50.0));
    assert_eq!(parse_maxspeed_kmh("NL:rural"), Some(80.0));
    assert!((parse_maxspeed_kmh("30 mph").unwrap() - 48.28).abs() < 0.01);
    assert_eq!(parse_maxspeed_kmh("50;30"), Some(50.0));
    assert_eq!(parse_maxspeed_kmh("none"), None);
    assert_eq!(parse_maxspeed_kmh("signals"), None);
}
