//! The org index: the reporting tree of active people, numbered in pre-order
//! so that everyone below a person is one contiguous slice, and headcounts
//! below anyone are answered with binary searches instead of a walk.
//!
//! Layout: `order[p]` is the person at pre-order position `p`; the subtree of
//! the person at `p` is `[p, end[p])`. For each role, `by_role[r]` holds the
//! sorted positions of its holders, so the headcount of a role under anyone
//! is two binary searches: a whole-company summary costs O(roles · log n).
//!
//! Updates: a role change moves one position between two role lists; a hire
//! (a new leaf), a leaving (a leaf, since people with reports cannot leave)
//! and a manager change (the team's block of positions moves) shift the
//! positions in between, O(n) in flat array passes without hashing (person
//! ids map to positions through a flat table when ids are dense). A long run
//! of changes is applied first and the index built once
//! ([`crate::Org::apply_all`]).

use climb_framework::{Framework, RoleId, StreamId};
use serde::Serialize;

use crate::fast_hash::FastMap;
use crate::id::PersonId;
use crate::pos_map::PosMap;

const NONE: u32 = u32::MAX;

/// Headcount of active people, in total, by role and by stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgSummary {
    /// Number of people counted.
    pub total: usize,
    /// Non-zero counts per role, in framework order; roles the framework no
    /// longer has come last, by id.
    pub by_role: Vec<(RoleId, usize)>,
    /// Non-zero counts per stream, in framework order (people whose role is
    /// not in the framework are in no stream).
    pub by_stream: Vec<(StreamId, usize)>,
}

/// The reporting tree of active people, indexed for subtree queries.
#[derive(Debug, Clone, Default)]
pub struct OrgIndex {
    /// Person at each pre-order position.
    order: Vec<PersonId>,
    /// End (exclusive) of the subtree starting at each position.
    end: Vec<u32>,
    /// Position of the manager, or `NONE` for a root.
    parent: Vec<u32>,
    /// Distance from the root (roots: 0).
    depth: Vec<u32>,
    /// Number of direct reports.
    direct: Vec<u32>,
    /// Role slot (index into `roles`) per position.
    role_of: Vec<u32>,
    /// Position of each person.
    pos: PosMap,
    /// Interned roles.
    roles: Vec<RoleId>,
    /// Slot of each interned role.
    role_slot: FastMap<RoleId, u32>,
    /// Sorted positions of each role's holders, per role slot.
    by_role: Vec<Vec<u32>>,
}

/// One active person as the index needs them.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    /// Who.
    pub id: PersonId,
    /// Their manager, if any.
    pub manager: Option<PersonId>,
    /// Their role.
    pub role: &'a RoleId,
}

impl OrgIndex {
    /// Builds the index in O(n log n) (a sort by id, then linear passes).
    /// A manager that is not among the nodes makes its report a root; nodes
    /// caught in a cycle (which the rules never let happen) are rooted at the
    /// lowest id of the cycle, so building never fails.
    pub fn build<'a>(nodes: impl IntoIterator<Item = Node<'a>>) -> Self {
        let mut nodes: Vec<Node<'a>> = nodes.into_iter().collect();
        nodes.sort_unstable_by_key(|n| n.id);
        nodes.dedup_by_key(|n| n.id);
        let n = nodes.len();
        let (first, last) = match (nodes.first(), nodes.last()) {
            (Some(first), Some(last)) => (first.id, last.id),
            _ => (PersonId(0), PersonId(0)),
        };
        let mut tmp = PosMap::for_ids(first, last, n);
        for (i, node) in nodes.iter().enumerate() {
            tmp.insert(node.id, to_u32(i));
        }
        let parent_tmp: Vec<u32> = nodes
            .iter()
            .map(|node| {
                node.manager
                    .filter(|m| *m != node.id)
                    .and_then(|m| tmp.get(m))
                    .unwrap_or(NONE)
            })
            .collect();
        // Children in compressed rows, each row in id order.
        let mut offsets = vec![0u32; n + 1];
        for &p in &parent_tmp {
            if p != NONE {
                offsets[p as usize + 1] += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut children = vec![0u32; offsets[n] as usize];
        for (child, &p) in parent_tmp.iter().enumerate() {
            if p != NONE {
                children[fill[p as usize] as usize] = to_u32(child);
                fill[p as usize] += 1;
            }
        }

        let mut index = Self {
            order: Vec::with_capacity(n),
            end: vec![0; n],
            parent: vec![NONE; n],
            depth: vec![0; n],
            direct: vec![0; n],
            role_of: vec![0; n],
            pos: PosMap::for_ids(first, last, n),
            ..Self::default()
        };
        let mut pos_tmp = vec![NONE; n];
        let mut stack: Vec<(u32, u32)> = Vec::new();
        let roots = (0..n).filter(|&i| parent_tmp[i] == NONE);
        // Then whatever a cycle kept unreachable, lowest id first.
        let stragglers = 0..n;
        for start in roots.chain(stragglers) {
            if pos_tmp[start] != NONE {
                continue;
            }
            let start = to_u32(start);
            index.visit(start, NONE, &nodes, &mut pos_tmp);
            stack.push((start, offsets[start as usize]));
            while let Some(top) = stack.last_mut() {
                let (node, cursor) = *top;
                if cursor < offsets[node as usize + 1] {
                    top.1 += 1;
                    let child = children[cursor as usize];
                    if pos_tmp[child as usize] == NONE {
                        index.visit(child, pos_tmp[node as usize], &nodes, &mut pos_tmp);
                        stack.push((child, offsets[child as usize]));
                    }
                } else {
                    stack.pop();
                    index.end[pos_tmp[node as usize] as usize] = to_u32(index.order.len());
                }
            }
        }
        index
    }

    /// Numbers `node` at the next position under the manager at `parent_pos`.
    fn visit(&mut self, node: u32, parent_pos: u32, nodes: &[Node<'_>], pos_tmp: &mut [u32]) {
        let p = to_u32(self.order.len());
        let info = &nodes[node as usize];
        pos_tmp[node as usize] = p;
        self.order.push(info.id);
        self.pos.insert(info.id, p);
        let slot = self.intern(info.role);
        let pu = p as usize;
        self.role_of[pu] = slot;
        self.by_role[slot as usize].push(p);
        self.parent[pu] = parent_pos;
        if parent_pos != NONE {
            self.depth[pu] = self.depth[parent_pos as usize] + 1;
            self.direct[parent_pos as usize] += 1;
        }
    }

    fn intern(&mut self, role: &RoleId) -> u32 {
        if let Some(&slot) = self.role_slot.get(role) {
            return slot;
        }
        let slot = to_u32(self.roles.len());
        self.roles.push(role.clone());
        self.role_slot.insert(role.clone(), slot);
        self.by_role.push(Vec::new());
        slot
    }

    /// Number of people indexed (the active people).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether nobody is indexed.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Whether the person is in the tree (that is, active).
    pub fn contains(&self, person: PersonId) -> bool {
        self.pos.get(person).is_some()
    }

    fn position(&self, person: PersonId) -> Option<usize> {
        self.pos.get(person).map(|p| p as usize)
    }

    /// Everyone in pre-order: each person is followed by everyone below them.
    pub fn pre_order(&self) -> &[PersonId] {
        &self.order
    }

    /// Everyone strictly below `person` (their whole subtree, themselves
    /// excluded), in pre-order; `None` if they are not in the tree.
    pub fn below(&self, person: PersonId) -> Option<&[PersonId]> {
        let p = self.position(person)?;
        Some(&self.order[p + 1..self.end[p] as usize])
    }

    /// How many people are strictly below `person`.
    pub fn headcount_below(&self, person: PersonId) -> Option<usize> {
        let p = self.position(person)?;
        Some(self.end[p] as usize - p - 1)
    }

    /// Whether `person` is strictly below `boss` in the current tree, in O(1).
    pub fn is_below(&self, person: PersonId, boss: PersonId) -> bool {
        match (self.position(person), self.position(boss)) {
            (Some(p), Some(b)) => b < p && p < self.end[b] as usize,
            _ => false,
        }
    }

    /// The management chain of `person`: their manager first, then that
    /// manager's manager, up to the top; `person` excluded, empty for a root.
    pub fn chain(&self, person: PersonId) -> Option<Vec<PersonId>> {
        let mut p = self.parent[self.position(person)?];
        let mut chain =
            Vec::with_capacity(self.depth.get(p as usize).map_or(0, |d| *d as usize + 1));
        while p != NONE {
            chain.push(self.order[p as usize]);
            p = self.parent[p as usize];
        }
        Some(chain)
    }

    /// The person's manager in the tree (`None` for a root or someone absent).
    pub fn manager(&self, person: PersonId) -> Option<PersonId> {
        let p = self.parent[self.position(person)?];
        (p != NONE).then(|| self.order[p as usize])
    }

    /// Distance from the top: 0 for someone with no manager.
    pub fn depth(&self, person: PersonId) -> Option<usize> {
        self.position(person).map(|p| self.depth[p] as usize)
    }

    /// Span of control: the number of direct reports.
    pub fn span(&self, person: PersonId) -> Option<usize> {
        self.position(person).map(|p| self.direct[p] as usize)
    }

    /// Direct reports, in pre-order (by id for a freshly built index).
    pub fn direct_reports(&self, person: PersonId) -> Option<Vec<PersonId>> {
        let p = self.position(person)?;
        let end = self.end[p] as usize;
        let mut reports = Vec::with_capacity(self.direct[p] as usize);
        let mut child = p + 1;
        while child < end {
            reports.push(self.order[child]);
            child = self.end[child] as usize;
        }
        Some(reports)
    }

    /// The positions range counted for `under`: strictly below them, or
    /// everyone when `None`. `None` when `under` is not in the tree.
    fn range(&self, under: Option<PersonId>) -> Option<(u32, u32)> {
        match under {
            None => Some((0, to_u32(self.order.len()))),
            Some(person) => {
                let p = self.position(person)?;
                Some((to_u32(p + 1), self.end[p]))
            }
        }
    }

    /// Headcount per role strictly below `under` (everyone when `None`), non-zero
    /// counts only, in no particular order; `None` if `under` is not in the tree.
    /// O(roles · log n).
    pub fn headcount_by_role(&self, under: Option<PersonId>) -> Option<Vec<(&RoleId, usize)>> {
        let (lo, hi) = self.range(under)?;
        Some(
            self.by_role
                .iter()
                .zip(&self.roles)
                .filter_map(|(positions, role)| {
                    let count = positions.partition_point(|&p| p < hi)
                        - positions.partition_point(|&p| p < lo);
                    (count > 0).then_some((role, count))
                })
                .collect(),
        )
    }

    /// The org summary strictly below `under` (the whole company when `None`):
    /// total, by role and by stream, ordered as the framework lists them.
    /// `None` if `under` is not an active person.
    pub fn summary(&self, framework: &Framework, under: Option<PersonId>) -> Option<OrgSummary> {
        let mut counts = self.headcount_by_role(under)?;
        let total = counts.iter().map(|(_, c)| c).sum();
        let rank = |role: &RoleId| framework.role_position(role.as_str()).unwrap_or(usize::MAX);
        counts.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.cmp(b.0)));
        let mut by_stream = vec![0usize; framework.streams().len()];
        for (role, count) in &counts {
            if let Some(stream) = framework
                .role(role.as_str())
                .and_then(|r| framework.stream_position(r.stream.as_str()))
            {
                by_stream[stream] += count;
            }
        }
        Some(OrgSummary {
            total,
            by_role: counts.into_iter().map(|(r, c)| (r.clone(), c)).collect(),
            by_stream: framework
                .streams()
                .iter()
                .zip(by_stream)
                .filter(|(_, c)| *c > 0)
                .map(|(s, c)| (s.id.clone(), c))
                .collect(),
        })
    }

    /// Moves a person to another role: O(holders of the two roles).
    pub fn set_role(&mut self, person: PersonId, role: &RoleId) {
        let Some(p) = self.position(person) else {
            return;
        };
        let p32 = to_u32(p);
        let old = self.role_of[p] as usize;
        if let Ok(i) = self.by_role[old].binary_search(&p32) {
            self.by_role[old].remove(i);
        }
        let slot = self.intern(role);
        self.role_of[p] = slot;
        let list = &mut self.by_role[slot as usize];
        let i = list.partition_point(|&q| q < p32);
        list.insert(i, p32);
    }

    /// Adds a new person with no reports under `manager` (a root when
    /// `None` or when the manager is not in the tree), at the end of the
    /// manager's subtree. Shifts later positions: O(n) flat passes.
    pub fn insert_leaf(&mut self, person: PersonId, manager: Option<PersonId>, role: &RoleId) {
        if self.contains(person) {
            return;
        }
        let parent = manager.and_then(|m| self.position(m));
        let p = parent.map_or(self.order.len(), |m| self.end[m] as usize);
        let p32 = to_u32(p);
        self.pos.shift_up(p32);
        for value in self.parent.iter_mut() {
            if *value != NONE && *value >= p32 {
                *value += 1;
            }
        }
        for value in &mut self.end[p..] {
            *value += 1;
        }
        // Ancestors' subtrees grow by one.
        let mut a = parent.map_or(NONE, to_u32);
        while a != NONE {
            self.end[a as usize] += 1;
            a = self.parent[a as usize];
        }
        for list in &mut self.by_role {
            let from = list.partition_point(|&q| q < p32);
            for value in &mut list[from..] {
                *value += 1;
            }
        }
        let slot = self.intern(role);
        let list = &mut self.by_role[slot as usize];
        let i = list.partition_point(|&q| q < p32);
        list.insert(i, p32);
        self.order.insert(p, person);
        self.end.insert(p, p32 + 1);
        self.parent.insert(p, parent.map_or(NONE, to_u32));
        let depth = parent.map_or(0, |m| self.depth[m] + 1);
        self.depth.insert(p, depth);
        self.direct.insert(p, 0);
        self.role_of.insert(p, slot);
        self.pos.insert(person, p32);
        if let Some(m) = parent {
            self.direct[m] += 1;
        }
    }

    /// Removes a person with no reports (someone who left). Returns `false`
    /// and changes nothing when they still have people below them, so that
    /// the caller can rebuild instead.
    pub fn remove_leaf(&mut self, person: PersonId) -> bool {
        let Some(p) = self.position(person) else {
            return true;
        };
        if self.end[p] as usize != p + 1 {
            return false;
        }
        let p32 = to_u32(p);
        let slot = self.role_of[p] as usize;
        if let Ok(i) = self.by_role[slot].binary_search(&p32) {
            self.by_role[slot].remove(i);
        }
        let parent = self.parent[p];
        let mut a = parent;
        while a != NONE {
            self.end[a as usize] -= 1;
            a = self.parent[a as usize];
        }
        if parent != NONE {
            self.direct[parent as usize] -= 1;
        }
        self.pos.remove(person);
        self.order.remove(p);
        self.end.remove(p);
        self.parent.remove(p);
        self.depth.remove(p);
        self.direct.remove(p);
        self.role_of.remove(p);
        self.pos.shift_down(p32);
        for value in self.parent.iter_mut() {
            if *value != NONE && *value > p32 {
                *value -= 1;
            }
        }
        for value in &mut self.end[p..] {
            *value -= 1;
        }
        for list in &mut self.by_role {
            let from = list.partition_point(|&q| q <= p32);
            for value in &mut list[from..] {
                *value -= 1;
            }
        }
        true
    }

    /// Moves `person` and everyone below them under `manager` (to the top
    /// when `None` or when the manager is not in the tree), placing the block
    /// at the end of the manager's subtree: O(n) flat passes, no rebuild.
    /// Returns `false` and changes nothing when the move would make a cycle
    /// (the manager is the person or below them), so the caller can rebuild.
    pub fn move_subtree(&mut self, person: PersonId, manager: Option<PersonId>) -> bool {
        let Some(s) = self.position(person) else {
            return true;
        };
        let e = self.end[s] as usize;
        let k = e - s;
        let new_parent = manager.and_then(|m| self.position(m));
        if new_parent.is_some_and(|m| (s..e).contains(&m)) {
            return false;
        }
        let n = self.order.len();
        let t = new_parent.map_or(n, |m| self.end[m] as usize);

        // Subtree sizes change on the old and the new chain of managers
        // (common managers keep theirs).
        let mut size: Vec<u32> = (0..n).map(|q| self.end[q] - to_u32(q)).collect();
        let mut a = self.parent[s];
        while a != NONE {
            size[a as usize] -= to_u32(k);
            a = self.parent[a as usize];
        }
        let mut a = new_parent.map_or(NONE, to_u32);
        while a != NONE {
            size[a as usize] += to_u32(k);
            a = self.parent[a as usize];
        }
        let old_parent = self.parent[s];
        if old_parent != NONE {
            self.direct[old_parent as usize] -= 1;
        }
        if let Some(m) = new_parent {
            self.direct[m] += 1;
        }
        let depth_delta =
            i64::from(new_parent.map_or(0, |m| self.depth[m] + 1)) - i64::from(self.depth[s]);

        // Where each old position goes: the block moves to just before `t`,
        // what lies between shifts by the block's length the other way. When
        // `t` touches the block (same place), nothing moves.
        let left = t < s;
        let (lo, hi) = if (s..=e).contains(&t) {
            (s, s)
        } else {
            (s.min(t), e.max(t))
        };
        let map = |q: u32| -> u32 {
            let q = q as usize;
            let moved = if !(lo..hi).contains(&q) {
                q
            } else if left {
                if q >= s { q - s + t } else { q + k }
            } else if q < e {
                q + t - e
            } else {
                q - k
            };
            to_u32(moved)
        };
        for d in &mut self.depth[s..e] {
            *d = u32::try_from(i64::from(*d) + depth_delta).unwrap_or(0);
        }
        // Managers come before their reports, so no parent before `lo` moves.
        for p in &mut self.parent[lo..] {
            if *p != NONE {
                *p = map(*p);
            }
        }
        self.parent[s] = new_parent.map_or(NONE, |m| map(to_u32(m)));
        rotate(&mut self.order[lo..hi], k, left);
        rotate(&mut self.parent[lo..hi], k, left);
        rotate(&mut self.depth[lo..hi], k, left);
        rotate(&mut self.direct[lo..hi], k, left);
        rotate(&mut self.role_of[lo..hi], k, left);
        rotate(&mut size[lo..hi], k, left);
        for (q, person) in self.order[lo..hi].iter().enumerate() {
            self.pos.insert(*person, to_u32(lo + q));
        }
        // Every subtree end follows from its (new) position and size.
        for (q, (end, size)) in self.end.iter_mut().zip(&size).enumerate() {
            *end = to_u32(q) + size;
        }
        let (lo32, hi32) = (to_u32(lo), to_u32(hi));
        for list in &mut self.by_role {
            let from = list.partition_point(|&q| q < lo32);
            let to = list.partition_point(|&q| q < hi32);
            let part = &mut list[from..to];
            // The mapped values form two ascending runs in rotated order:
            // rotating at the run boundary sorts them in O(window).
            let boundary = to_u32(if left { s } else { e });
            let split = part.partition_point(|&q| q < boundary);
            for q in part.iter_mut() {
                *q = map(*q);
            }
            part.rotate_left(split);
        }
        true
    }

    /// An estimate of the heap memory the index holds, in bytes.
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        // A std HashMap entry costs the pair plus one control byte; capacity
        // rounds up so that at most 7/8 of the buckets are full.
        fn map_bytes<K, V>(map: &FastMap<K, V>) -> usize {
            let buckets = (map.capacity() * 8 / 7).next_power_of_two();
            buckets * (size_of::<(K, V)>() + 1)
        }
        self.order.capacity() * size_of::<PersonId>()
            + (self.end.capacity()
                + self.parent.capacity()
                + self.depth.capacity()
                + self.direct.capacity()
                + self.role_of.capacity())
                * size_of::<u32>()
            + self.pos.bytes()
            + map_bytes(&self.role_slot)
            + self
                .roles
                .iter()
                .map(|r| size_of::<RoleId>() + r.as_str().len())
                .sum::<usize>()
            + self
                .by_role
                .iter()
                .map(|l| size_of::<Vec<u32>>() + l.capacity() * size_of::<u32>())
                .sum::<usize>()
    }
}

/// Moves the last `k` items of a window to its front (`left`: the block
/// moves left), or the first `k` to its back.
fn rotate<T>(window: &mut [T], k: usize, left: bool) {
    if window.is_empty() {
        return;
    }
    if left {
        window.rotate_right(k);
    } else {
        window.rotate_left(k);
    }
}

/// Positions fit in `u32`: the index is meant for up to a few million people.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(NONE - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{fw, role};

    /// 1 ─┬─ 2 ─┬─ 4
    ///    │     └─ 5 ── 7
    ///    └─ 3 ── 6
    /// 8 (a second top)
    fn sample() -> (OrgIndex, Vec<RoleId>) {
        let roles = vec![
            role("cto"),
            role("vp-engineering"),
            role("engineering-manager"),
            role("software-engineer"),
        ];
        let spec: [(i64, Option<i64>, usize); 8] = [
            (1, None, 0),
            (2, Some(1), 1),
            (3, Some(1), 2),
            (4, Some(2), 3),
            (5, Some(2), 2),
            (6, Some(3), 3),
            (7, Some(5), 3),
            (8, None, 3),
        ];
        let index = OrgIndex::build(spec.iter().rev().map(|&(id, m, r)| Node {
            id: PersonId(id),
            manager: m.map(PersonId),
            role: &roles[r],
        }));
        (index, roles)
    }

    fn ids(raw: &[i64]) -> Vec<PersonId> {
        raw.iter().copied().map(PersonId).collect()
    }

    #[test]
    fn everyone_below_a_person_is_one_slice_in_pre_order() {
        let (index, _) = sample();
        assert_eq!(index.pre_order(), ids(&[1, 2, 4, 5, 7, 3, 6, 8]).as_slice());
        assert_eq!(index.below(PersonId(2)), Some(ids(&[4, 5, 7]).as_slice()));
        assert_eq!(index.below(PersonId(7)), Some(&[][..]));
        assert_eq!(index.headcount_below(PersonId(1)), Some(6));
        assert_eq!(index.below(PersonId(99)), None);
    }

    #[test]
    fn the_chain_runs_from_the_manager_up_to_the_top() {
        let (index, _) = sample();
        assert_eq!(index.chain(PersonId(7)), Some(ids(&[5, 2, 1])));
        assert_eq!(index.chain(PersonId(1)), Some(Vec::new()));
        assert_eq!(index.depth(PersonId(7)), Some(3));
        assert_eq!(index.manager(PersonId(7)), Some(PersonId(5)));
        assert_eq!(index.manager(PersonId(8)), None);
    }

    #[test]
    fn span_and_direct_reports_count_only_direct_reports() {
        let (index, _) = sample();
        assert_eq!(index.span(PersonId(1)), Some(2));
        assert_eq!(index.direct_reports(PersonId(2)), Some(ids(&[4, 5])));
        assert_eq!(index.span(PersonId(7)), Some(0));
    }

    #[test]
    fn is_below_is_strict_and_follows_the_tree() {
        let (index, _) = sample();
        assert!(index.is_below(PersonId(7), PersonId(1)));
        assert!(!index.is_below(PersonId(1), PersonId(1)));
        assert!(!index.is_below(PersonId(6), PersonId(2)));
        assert!(!index.is_below(PersonId(8), PersonId(1)));
    }

    #[test]
    fn the_summary_below_someone_excludes_them_and_groups_by_role_and_stream() {
        let (index, _) = sample();
        let summary = index.summary(fw(), Some(PersonId(2))).expect("indexed");
        assert_eq!(summary.total, 3);
        assert_eq!(
            summary.by_role,
            vec![
                (role("software-engineer"), 2),
                (role("engineering-manager"), 1)
            ]
        );
        let streams: Vec<_> = summary
            .by_stream
            .iter()
            .map(|(s, c)| (s.as_str(), *c))
            .collect();
        assert_eq!(streams, vec![("engineering", 2), ("management", 1)]);
    }

    #[test]
    fn the_whole_company_summary_counts_everyone() {
        let (index, _) = sample();
        let summary = index.summary(fw(), None).expect("always");
        assert_eq!(summary.total, 8);
        assert_eq!(
            summary.by_role.first(),
            Some(&(role("software-engineer"), 4))
        );
        assert!(index.summary(fw(), Some(PersonId(99))).is_none());
    }

    #[test]
    fn a_cycle_in_the_data_still_builds_an_index() {
        let r = role("engineering-manager");
        let index = OrgIndex::build([
            Node {
                id: PersonId(1),
                manager: Some(PersonId(2)),
                role: &r,
            },
            Node {
                id: PersonId(2),
                manager: Some(PersonId(1)),
                role: &r,
            },
        ]);
        assert_eq!(index.len(), 2);
        assert_eq!(index.chain(PersonId(2)), Some(ids(&[1])));
    }

    /// Every query agrees between `a` and `b`.
    fn assert_same(a: &OrgIndex, b: &OrgIndex) {
        let mut people = a.pre_order().to_vec();
        people.sort_unstable();
        let mut other = b.pre_order().to_vec();
        other.sort_unstable();
        assert_eq!(people, other);
        for &p in &people {
            let sorted = |slice: Option<&[PersonId]>| {
                slice.map(|s| {
                    let mut v = s.to_vec();
                    v.sort_unstable();
                    v
                })
            };
            let (below_a, below_b) = (sorted(a.below(p)), sorted(b.below(p)));
            assert_eq!(below_a, below_b, "below {p}");
            assert_eq!(a.chain(p), b.chain(p), "chain {p}");
            assert_eq!(a.span(p), b.span(p), "span {p}");
            assert_eq!(a.depth(p), b.depth(p), "depth {p}");
            assert_eq!(
                a.summary(fw(), Some(p)),
                b.summary(fw(), Some(p)),
                "summary {p}"
            );
        }
        assert_eq!(a.summary(fw(), None), b.summary(fw(), None));
    }

    #[test]
    fn scattered_ids_work_as_well_as_dense_ones() {
        let r = role("engineering-manager");
        let (top, mid, far) = (PersonId(-7), PersonId(1 << 40), PersonId(3));
        let mut index = OrgIndex::build([
            Node {
                id: top,
                manager: None,
                role: &r,
            },
            Node {
                id: mid,
                manager: Some(top),
                role: &r,
            },
        ]);
        index.insert_leaf(far, Some(mid), &r);
        assert_eq!(index.chain(far), Some(vec![mid, top]));
        assert!(index.move_subtree(far, Some(top)));
        assert_eq!(index.direct_reports(top), Some(vec![mid, far]));
        assert!(index.remove_leaf(far));
        assert_eq!(index.headcount_below(top), Some(1));
    }

    #[test]
    fn every_subtree_move_matches_a_rebuild() {
        let (index, roles) = sample();
        let spec: Vec<(i64, Option<i64>, usize)> = vec![
            (1, None, 0),
            (2, Some(1), 1),
            (3, Some(1), 2),
            (4, Some(2), 3),
            (5, Some(2), 2),
            (6, Some(3), 3),
            (7, Some(5), 3),
            (8, None, 3),
        ];
        let targets = std::iter::once(None).chain((1..=8).map(Some));
        for (person, _, _) in &spec {
            for manager in targets.clone() {
                let (x, m) = (PersonId(*person), manager.map(PersonId));
                let mut moved = index.clone();
                let cycle = m.is_some_and(|m| m == x || index.is_below(m, x));
                assert_eq!(moved.move_subtree(x, m), !cycle, "{x} under {m:?}");
                if cycle {
                    continue;
                }
                let rebuilt = OrgIndex::build(spec.iter().map(|&(id, old, r)| Node {
                    id: PersonId(id),
                    manager: if id == *person {
                        manager.map(PersonId)
                    } else {
                        old.map(PersonId)
                    },
                    role: &roles[r],
                }));
                assert_same(&moved, &rebuilt);
            }
        }
    }

    #[test]
    fn inserting_and_removing_leaves_matches_a_rebuild() {
        let (mut index, roles) = sample();
        index.insert_leaf(PersonId(9), Some(PersonId(2)), &roles[3]);
        index.insert_leaf(PersonId(10), Some(PersonId(7)), &roles[3]);
        index.insert_leaf(PersonId(11), None, &roles[0]);
        index.set_role(PersonId(4), &roles[2]);
        assert!(!index.remove_leaf(PersonId(5)), "5 has reports");
        assert!(index.remove_leaf(PersonId(6)));
        let spec: [(i64, Option<i64>, usize); 10] = [
            (1, None, 0),
            (2, Some(1), 1),
            (3, Some(1), 2),
            (4, Some(2), 2),
            (5, Some(2), 2),
            (7, Some(5), 3),
            (8, None, 3),
            (9, Some(2), 3),
            (10, Some(7), 3),
            (11, None, 0),
        ];
        let rebuilt = OrgIndex::build(spec.iter().map(|&(id, m, r)| Node {
            id: PersonId(id),
            manager: m.map(PersonId),
            role: &roles[r],
        }));
        assert_same(&index, &rebuilt);
        assert!(index.memory_bytes() > 0);
    }
}
