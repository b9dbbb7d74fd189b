//! Hilbert order: adjacency of consecutive nodes, determinism, and the two-way mapping.

use super::*;

/// Points of a `side` × `side` grid, row by row, about 100 m apart near Delft.
fn grid_points(side: u32) -> Vec<Wgs84Point> {
    (0..side * side)
        .map(|i| {
            let (column, row) = (f64::from(i % side), f64::from(i / side));
            Wgs84Point::new(4.35 + column * 0.0015, 52.0 + row * 0.0009)
        })
        .collect()
}

#[test]
fn consecutive_nodes_along_the_hilbert_order_of_a_grid_are_neighbours_on_the_grid() {
    let side = 16;
    let order = NodeOrder::hilbert(&grid_points(side));
    assert_eq!(order.len(), 256);
    for new in 1..256 {
        let (a, b) = (order.old_id(new - 1), order.old_id(new));
        let step = (a % side).abs_diff(b % side) + (a / side).abs_diff(b / side);
        assert_eq!(
            step,
            1,
            "positions {} and {new}: nodes {a} and {b}",
            new - 1
        );
    }
}

#[test]
fn new_and_old_ids_map_both_ways() {
    let order = NodeOrder::hilbert(&grid_points(8));
    for old in 0..64 {
        assert_eq!(order.old_id(order.new_id(old)), old);
    }
    let explicit = NodeOrder::from_old_ids(vec![2, 0, 1]);
    assert_eq!(
        (explicit.new_id(0), explicit.new_id(1), explicit.new_id(2)),
        (1, 2, 0)
    );
}

#[test]
fn nodes_in_one_cell_keep_their_input_order_and_bad_points_do_not_panic() {
    let same = Wgs84Point::new(6.5, 52.8);
    let points = [
        same,
        Wgs84Point::new(f64::NAN, 52.8),
        same,
        Wgs84Point::new(6.6, 52.9),
        same,
    ];
    let order = NodeOrder::hilbert(&points);
    let at_same: Vec<u32> = (0..5)
        .map(|new| order.old_id(new))
        .filter(|&old| points[old as usize] == same)
        .collect();
    assert_eq!(at_same, vec![0, 2, 4]);
    assert_eq!(NodeOrder::hilbert(&points), order);
    assert!(NodeOrder::hilbert(&[]).is_empty());
}
