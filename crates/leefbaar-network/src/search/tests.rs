//! Multi-source search against the one-origin-at-a-time oracle on seeded random graphs.
#![expect(
    clippy::cast_possible_truncation,
    reason = "test graphs and record counts are small"
)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::graph::Edge;
use crate::oracle;

/// A random directed graph with small integer weights, so that ties are common.
pub(crate) fn random_graph(seed: u64, n_nodes: u32, n_edges: usize) -> Graph {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let edges: Vec<Edge> = (0..n_edges)
        .map(|_| Edge {
            tail: rng.random_range(0..n_nodes),
            head: rng.random_range(0..n_nodes),
            length_cm: rng.random_range(0..20),
            time_ms: rng.random_range(1..50),
        })
        .collect();
    Graph::from_edges(n_nodes as usize, &edges)
}

pub(crate) fn random_seeds(seed: u64, n_nodes: u32, n_facilities: u32) -> Vec<Seed> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut seeds = Vec::new();
    for facility in 0..n_facilities {
        // A facility on a road is reached from one or two nodes, each with a remaining stretch.
        for _ in 0..rng.random_range(1..=2) {
            seeds.push(Seed {
                node: rng.random_range(0..n_nodes),
                cost: rng.random_range(0..10),
                facility,
            });
        }
    }
    seeds
}

fn assert_field_matches_oracle(
    graph: &Graph,
    metric: Metric,
    seeds: &[Seed],
    field: &NearestField,
    seed: u64,
) {
    for node in 0..graph.n_nodes() as u32 {
        assert_eq!(
            field.nearest(node),
            oracle::nearest(graph, metric, seeds, node),
            "node {node}, metric {metric:?}, random seed {seed}"
        );
    }
}

#[test]
fn multi_source_search_gives_every_node_the_oracles_nearest_facility_on_random_graphs() {
    let mut calculator = NearestCalculator::new();
    for seed in 0..40u64 {
        let n_nodes = 20 + (seed as u32 * 7) % 120;
        let graph = random_graph(seed, n_nodes, n_nodes as usize * 3);
        let reversed = graph.reversed();
        let seeds = random_seeds(seed, n_nodes, 1 + (seed as u32 % 6));
        for metric in [Metric::Distance, Metric::Time] {
            let field = calculator.nearest(&reversed, metric, &seeds);
            assert_field_matches_oracle(&graph, metric, &seeds, &field, seed);
        }
    }
}

/// The bucketed search in its three regimes: bucket width at most the smallest weight (every
/// node expanded once), very unequal weights (wide buckets, nodes re-expanded within one) and
/// seed costs far beyond the ring of buckets (the search jumps ahead to them).
#[test]
fn bucketed_search_matches_the_oracle_with_long_edges_unequal_edges_and_distant_seeds() {
    let mut calculator = NearestCalculator::new();
    for seed in 0..30u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb0c7);
        let n_nodes = 30 + (seed as u32 * 11) % 150;
        let edges: Vec<Edge> = (0..n_nodes as usize * 3)
            .map(|_| Edge {
                tail: rng.random_range(0..n_nodes),
                head: rng.random_range(0..n_nodes),
                length_cm: rng.random_range(7_000..13_000),
                time_ms: if rng.random_bool(0.3) {
                    rng.random_range(0..3)
                } else {
                    rng.random_range(1..20_000_000)
                },
            })
            .collect();
        let graph = Graph::from_edges(n_nodes as usize, &edges);
        let reversed = graph.reversed();
        let seeds: Vec<Seed> = (0..=(seed as u32 % 5))
            .map(|facility| Seed {
                node: rng.random_range(0..n_nodes),
                cost: if facility % 2 == 0 {
                    rng.random_range(0..5)
                } else {
                    rng.random_range(0..400_000_000)
                },
                facility,
            })
            .collect();
        for metric in [Metric::Distance, Metric::Time] {
            let field = calculator.nearest(&reversed, metric, &seeds);
            assert_field_matches_oracle(&graph, metric, &seeds, &field, seed);
        }
    }
}

#[test]
fn equally_near_facilities_resolve_to_the_lowest_index_whatever_the_seed_order() {
    // 0 -> 1 -> 2 and 0 -> 3 -> 2 with equal lengths; facilities at 1 (index 7) and 3 (index 2).
    let graph = Graph::from_edges(
        4,
        &[
            Edge {
                tail: 0,
                head: 1,
                length_cm: 5,
                time_ms: 5,
            },
            Edge {
                tail: 0,
                head: 3,
                length_cm: 5,
                time_ms: 5,
            },
        ],
    );
    let reversed = graph.reversed();
    let seeds = [
        Seed {
            node: 1,
            cost: 0,
            facility: 7,
        },
        Seed {
            node: 3,
            cost: 0,
            facility: 2,
        },
    ];
    let mut calculator = NearestCalculator::new();
    let forward_order = calculator.nearest(&reversed, Metric::Distance, &seeds);
    let swapped = calculator.nearest(&reversed, Metric::Distance, &[seeds[1], seeds[0]]);
    assert_eq!(forward_order.nearest(0), Some((5, 2)));
    assert_eq!(forward_order, swapped);
}

#[test]
fn a_node_that_reaches_no_facility_has_no_answer() {
    let graph = Graph::from_edges(
        3,
        &[Edge {
            tail: 1,
            head: 0,
            length_cm: 4,
            time_ms: 4,
        }],
    );
    let field = NearestCalculator::new().nearest(
        &graph.reversed(),
        Metric::Distance,
        &[Seed {
            node: 0,
            cost: 0,
            facility: 0,
        }],
    );
    assert_eq!(field.nearest(1), Some((4, 0)));
    assert_eq!(field.nearest(2), None);
}

#[test]
fn bounded_search_visits_exactly_the_nodes_within_the_limit_at_oracle_cost() {
    let mut calculator = NearestCalculator::new();
    for seed in 0..20u64 {
        let graph = random_graph(seed, 60, 180);
        let reversed = graph.reversed();
        let seeds: Vec<Seed> = random_seeds(seed, 60, 1);
        let limit = 15;
        let mut visited = vec![None; 60];
        calculator.within(&reversed, Metric::Distance, &seeds, limit, |node, cost| {
            assert!(
                visited[node as usize].is_none(),
                "node {node} visited twice, seed {seed}"
            );
            visited[node as usize] = Some(cost);
        });
        for node in 0..60u32 {
            let expected = oracle::nearest(&graph, Metric::Distance, &seeds, node)
                .map(|(cost, _)| cost)
                .filter(|&cost| cost <= limit);
            assert_eq!(
                visited[node as usize], expected,
                "node {node}, random seed {seed}"
            );
        }
    }
}

#[test]
fn incremental_closing_and_opening_equals_a_search_from_scratch_on_random_graphs() {
    let mut calculator = NearestCalculator::new();
    for seed in 0..40u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xc105e);
        let n_nodes = 30 + (seed as u32 * 11) % 150;
        let graph = random_graph(seed, n_nodes, n_nodes as usize * 3);
        let reversed = graph.reversed();
        let n_facilities = 2 + (seed as u32 % 8);
        let seeds = random_seeds(seed, n_nodes, n_facilities);
        let closed: Vec<bool> = (0..n_facilities).map(|_| rng.random_bool(0.4)).collect();
        let opened: Vec<Seed> = if seed % 3 == 0 {
            vec![Seed {
                node: rng.random_range(0..n_nodes),
                cost: 3,
                facility: n_facilities,
            }]
        } else {
            Vec::new()
        };
        for metric in [Metric::Distance, Metric::Time] {
            let before = calculator.nearest(&reversed, metric, &seeds);
            let mut after = before.clone();
            let changed = calculator.update(
                &graph,
                &reversed,
                metric,
                &mut after,
                &seeds,
                |f| closed.get(f as usize).copied().unwrap_or(false),
                &opened,
            );
            let remaining: Vec<Seed> = seeds
                .iter()
                .filter(|s| !closed[s.facility as usize])
                .chain(&opened)
                .copied()
                .collect();
            let scratch = calculator.nearest(&reversed, metric, &remaining);
            assert_eq!(after, scratch, "metric {metric:?}, random seed {seed}");
            for node in 0..n_nodes {
                if before.nearest(node) != after.nearest(node) {
                    assert!(
                        changed.binary_search(&node).is_ok(),
                        "node {node} changed unreported, seed {seed}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_radix_heap_pops_keys_in_order_when_pushes_never_go_below_the_last_pop() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut heap = RadixHeap::default();
    let mut reference = std::collections::BinaryHeap::new();
    let mut last = 0u64;
    for step in 0..5_000u32 {
        if rng.random_bool(0.6) || reference.is_empty() {
            let bits = rng.random_range(0..40);
            let key = last + rng.random_range(0..1u64 << bits);
            heap.push(key, step);
            reference.push(std::cmp::Reverse(key));
        } else {
            let (key, _) = heap.pop().unwrap();
            assert_eq!(
                Some(std::cmp::Reverse(key)),
                reference.pop(),
                "step {step}, random seed 9"
            );
            last = key;
        }
    }
}

/// Renumbering must be invisible: the search on a renumbered graph, read back through the
/// order, gives every node the oracle's answer on the original graph. Orders: a Hilbert curve
/// over random positions and a random shuffle.
#[test]
fn a_renumbered_graph_gives_every_node_the_oracles_answer_on_the_original_graph() {
    use crate::geo::Wgs84Point;
    use crate::order::NodeOrder;
    let mut calculator = NearestCalculator::new();
    let mut field = NearestField::unreached(0);
    for seed in 0..20u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0bde);
        let n_nodes = 20 + (seed as u32 * 13) % 140;
        let graph = random_graph(seed, n_nodes, n_nodes as usize * 3);
        let seeds = random_seeds(seed, n_nodes, 1 + (seed as u32 % 5));
        let points: Vec<Wgs84Point> = (0..n_nodes)
            .map(|_| Wgs84Point::new(rng.random_range(6.0..7.0), rng.random_range(52.5..53.2)))
            .collect();
        let mut shuffled: Vec<u32> = (0..n_nodes).collect();
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.random_range(0..=i));
        }
        for order in [
            NodeOrder::hilbert(&points),
            NodeOrder::from_old_ids(shuffled),
        ] {
            let reversed = graph.renumbered(&order).reversed();
            let renamed: Vec<Seed> = seeds
                .iter()
                .map(|s| Seed {
                    node: order.new_id(s.node),
                    ..*s
                })
                .collect();
            for metric in [Metric::Distance, Metric::Time] {
                calculator.nearest_into(&reversed, metric, &renamed, &mut field);
                for node in 0..n_nodes {
                    assert_eq!(
                        field.nearest(order.new_id(node)),
                        oracle::nearest(&graph, metric, &seeds, node),
                        "node {node}, metric {metric:?}, random seed {seed}"
                    );
                }
            }
        }
    }
}

/// When no edge is shorter than the bucket width (the median weight rounded down to a power of
/// two), no node can improve inside the bucket being emptied, so each reached node is expanded
/// exactly once: the regime of the synthetic grid.
#[test]
fn with_no_edge_shorter_than_the_bucket_width_every_reached_node_is_expanded_once() {
    let mut calculator = NearestCalculator::new();
    for seed in 0..10u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0ace);
        let n_nodes = 50 + (seed as u32 * 17) % 100;
        // The median lies in 8,192..12,000, so the width is 8,192, the shortest edge.
        let edges: Vec<Edge> = (0..n_nodes as usize * 3)
            .map(|_| Edge {
                tail: rng.random_range(0..n_nodes),
                head: rng.random_range(0..n_nodes),
                length_cm: rng.random_range(8_192..12_000),
                time_ms: 1,
            })
            .collect();
        let graph = Graph::from_edges(n_nodes as usize, &edges);
        let reversed = graph.reversed();
        let seeds = random_seeds(seed, n_nodes, 3);
        let field = calculator.nearest(&reversed, Metric::Distance, &seeds);
        assert_field_matches_oracle(&graph, Metric::Distance, &seeds, &field, seed);
        let reached = (0..n_nodes).filter(|&v| field.cost(v).is_some()).count();
        assert_eq!(calculator.buckets.expansions, reached, "random seed {seed}");
    }
}

#[test]
fn searching_into_a_reused_field_equals_a_fresh_search_whatever_the_field_held_before() {
    let mut calculator = NearestCalculator::new();
    let mut field = NearestField::unreached(0);
    for seed in [3u64, 4, 5] {
        let n_nodes = 40 + 50 * (seed as u32 % 2);
        let reversed = random_graph(seed, n_nodes, n_nodes as usize * 3).reversed();
        let seeds = random_seeds(seed, n_nodes, 4);
        calculator.nearest_into(&reversed, Metric::Time, &seeds, &mut field);
        assert_eq!(field, calculator.nearest(&reversed, Metric::Time, &seeds));
    }
}
