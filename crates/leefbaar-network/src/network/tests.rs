//! Components, snapping and street exits on small hand-made networks.

use super::*;

/// A 100 m east-west street at latitude 52 split into nodes 0 - 1 - 2, plus node 3 reached only
/// by a one-way street 2 -> 3 (so node 3 falls outside the strong component).
fn tiny() -> (Vec<Wgs84Point>, Vec<StreetDraft>) {
    let p = |x: f64| Wgs84Point::new(6.0 + x * 0.001, 52.0);
    let nodes = vec![p(0.0), p(1.0), p(2.0), p(3.0)];
    let street = |from: u32, to: u32, back: bool| StreetDraft {
        from,
        to,
        geometry: vec![nodes[from as usize], nodes[to as usize]],
        forward_time_ms: Some(1000),
        backward_time_ms: back.then_some(1000),
    };
    let drafts = vec![street(0, 1, true), street(1, 2, true), street(2, 3, false)];
    (nodes, drafts)
}

#[test]
fn the_largest_strong_component_drops_a_node_behind_a_one_way_street() {
    let (nodes, drafts) = tiny();
    let network = Network::from_streets(Profile::Car, &nodes, &drafts);
    assert_eq!(network.nodes().len(), 3);
    assert_eq!(network.streets().len(), 2);
    assert_eq!(network.graph().n_edges(), 4);
}

#[test]
fn a_point_snaps_perpendicularly_onto_the_street_with_the_leg_measured() {
    let (nodes, drafts) = tiny();
    let network = Network::from_streets(Profile::Car, &nodes, &drafts);
    // 30 % along the first street, about 11 m north of it.
    let snap = network.snap(Wgs84Point::new(6.0003, 52.0001)).unwrap();
    assert_eq!(snap.street, 0);
    let length_cm = network.streets()[0].length_cm;
    assert!(
        (f64::from(snap.offset_cm) - 0.3 * f64::from(length_cm)).abs() < 5.0,
        "{snap:?}"
    );
    assert!((snap.leg_m - 11.12).abs() < 0.05, "{snap:?}");
}

#[test]
fn an_origin_on_a_street_can_leave_by_either_end_of_a_two_way_street() {
    let (nodes, drafts) = tiny();
    let network = Network::from_streets(Profile::Car, &nodes, &drafts);
    let snap = Snap {
        street: 0,
        offset_cm: 2000,
        leg_m: 0.0,
    };
    let length_cm = network.streets()[0].length_cm;
    assert_eq!(
        network.exits(&snap, Metric::Distance),
        [Some((1, length_cm - 2000)), Some((0, 2000))]
    );
    let seeds = network.seeds(&snap, 7, Metric::Distance);
    assert_eq!(
        seeds,
        vec![
            Seed {
                node: 0,
                cost: 2000,
                facility: 7
            },
            Seed {
                node: 1,
                cost: length_cm - 2000,
                facility: 7
            }
        ]
    );
}

#[test]
fn components_are_found_on_a_graph_with_two_cycles_joined_one_way() {
    let e = |tail, head| Edge {
        tail,
        head,
        length_cm: 1,
        time_ms: 1,
    };
    // Cycle {0,1} and cycle {2,3,4}, joined by 1 -> 2 only.
    let graph = Graph::from_edges(5, &[e(0, 1), e(1, 0), e(1, 2), e(2, 3), e(3, 4), e(4, 2)]);
    assert_eq!(
        largest_strong_component(&graph),
        vec![false, false, true, true, true]
    );
}
