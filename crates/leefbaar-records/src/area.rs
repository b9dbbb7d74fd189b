//! The areas figures are summed to: each record's municipality, its province, the country,
//! given as a map from each area to its parent.

use std::collections::BTreeMap;

use leefbaar_model::AreaCode;

/// A forest of areas: municipalities under provinces under the country (or any depth).
///
/// Records carry a leaf (an area with no children); figures are published for every area, and
/// the levels are protected top-down, each under all the areas above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaTree {
    codes: Vec<AreaCode>,
    parent: Vec<Option<usize>>,
    depth: Vec<usize>,
    leaf: Vec<bool>,
    index: BTreeMap<String, usize>,
}

/// Why an area map is not a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AreaTreeError {
    /// An area is given two different parents.
    #[error("area `{area}` has two parents, `{first}` and `{second}`")]
    TwoParents {
        /// The area.
        area: String,
        /// The first parent given.
        first: String,
        /// The second.
        second: String,
    },
    /// Following parents from an area comes back to it.
    #[error("area `{area}` is its own ancestor")]
    Cycle {
        /// An area on the cycle.
        area: String,
    },
}

impl AreaTree {
    /// The tree from `(area, parent)` pairs; areas that are nobody's child are roots.
    pub fn new(parent_of: &[(AreaCode, AreaCode)]) -> Result<AreaTree, AreaTreeError> {
        let mut tree = AreaTree {
            codes: Vec::new(),
            parent: Vec::new(),
            depth: Vec::new(),
            leaf: Vec::new(),
            index: BTreeMap::new(),
        };
        for (child, parent) in parent_of {
            let c = tree.intern(child);
            let p = tree.intern(parent);
            match tree.parent[c] {
                Some(q) if q != p => {
                    return Err(AreaTreeError::TwoParents {
                        area: child.as_str().to_owned(),
                        first: tree.codes[q].as_str().to_owned(),
                        second: parent.as_str().to_owned(),
                    });
                }
                _ => tree.parent[c] = Some(p),
            }
        }
        for area in 0..tree.codes.len() {
            let (mut at, mut steps) = (area, 0);
            while let Some(up) = tree.parent[at] {
                at = up;
                steps += 1;
                if steps > tree.codes.len() {
                    return Err(AreaTreeError::Cycle {
                        area: tree.codes[area].as_str().to_owned(),
                    });
                }
            }
            tree.depth[area] = steps;
        }
        tree.leaf = vec![true; tree.codes.len()];
        for &parent in tree.parent.iter().flatten() {
            tree.leaf[parent] = false;
        }
        Ok(tree)
    }

    fn intern(&mut self, code: &AreaCode) -> usize {
        if let Some(&k) = self.index.get(code.as_str()) {
            return k;
        }
        let k = self.codes.len();
        self.codes.push(code.clone());
        self.parent.push(None);
        self.depth.push(0);
        self.index.insert(code.as_str().to_owned(), k);
        k
    }

    /// The number of areas.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the tree has no areas.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The index of an area.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// The code of the area at `index`.
    pub fn code(&self, index: usize) -> &AreaCode {
        &self.codes[index]
    }

    /// Whether the area at `index` has no children (records may carry only such areas).
    pub fn is_leaf(&self, index: usize) -> bool {
        self.leaf[index]
    }

    /// The depth of an area: 0 for a root.
    pub fn depth(&self, index: usize) -> usize {
        self.depth[index]
    }

    /// The greatest depth.
    pub fn max_depth(&self) -> usize {
        self.depth.iter().copied().max().unwrap_or(0)
    }

    /// The area and its ancestors, from the area up.
    pub fn lineage(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(index), |&k| self.parent[k])
    }

    /// The areas at a depth, in index order.
    pub fn at_depth(&self, depth: usize) -> Vec<usize> {
        (0..self.len())
            .filter(|&k| self.depth[k] == depth)
            .collect()
    }

    /// Municipalities under one province under the country: the usual tree for one
    /// province's records.
    pub fn province(
        province: &AreaCode,
        municipalities: &[AreaCode],
    ) -> Result<AreaTree, AreaTreeError> {
        let mut pairs: Vec<(AreaCode, AreaCode)> =
            vec![(province.clone(), AreaCode::netherlands())];
        pairs.extend(municipalities.iter().map(|m| (m.clone(), province.clone())));
        AreaTree::new(&pairs)
    }
}
