//! The org index: the reporting tree of active people as an Euler tour (each
//! person is an entry token, everyone below them, then an exit token) kept in
//! blocks, so that everyone below a person lies between their two tokens and
//! a structural change moves a few blocks instead of renumbering everyone.
//!
//! Layout: people get a compact slot (a `u32`) when they enter the tree;
//! per slot the index keeps the person's id, manager, number of direct
//! reports and where their two tokens are (block, offset). The tour is a
//! list of blocks of at most `block_max` tokens (1,024 by default), in tour
//! order; every entry token carries its role. For each block in that order
//! the index keeps how many tokens and how many entries of each role come
//! before it, so that:
//!
//! - the rank of a token is one lookup plus its offset: the headcount below
//!   someone is half the number of tokens between their two tokens, O(1);
//! - whether one person is below another compares (block rank, offset)
//!   pairs, O(1);
//! - the headcount by role below someone is the difference of two rows of
//!   per-role counts plus a count of the tokens of the two partial blocks
//!   at either end (at most half a block each, by counting from the nearer
//!   end of the block): O(roles + block_max).
//!
//! Updates: a role change edits one token and the per-role counts of the
//! blocks after it; a hire inserts two tokens before the manager's exit (or
//! at the end of the tour for a new top), a leaving removes a leaf's two
//! tokens, and a manager change cuts the blocks holding a subtree (splitting
//! at most three blocks) and moves them, as block ids, before the new
//! manager's exit. Each costs O(block_max + blocks · roles) whatever the
//! size of the subtree, about 2,000 blocks at a million people. Blocks
//! that fall under a quarter of `block_max` merge with a neighbour, so the
//! number of blocks stays proportional to the people indexed.
//!
//! A new leaf or a moved subtree goes at the end of its manager's subtree,
//! so the pre-order is the same as numbering the tree afresh with reports
//! in the order they joined their manager (by id for a freshly built index).
//! A long run of changes is applied first and the index built once
//! ([`crate::Org::apply_all`]).

use climb_framework::{Framework, RoleId, StreamId};
use serde::Serialize;

use crate::fast_hash::FastMap;
use crate::id::PersonId;
use crate::pos_map::PosMap;

const NONE: u32 = u32::MAX;

/// The role carried by an exit token.
const EXIT: u32 = u32::MAX;

/// The default largest number of tokens in a block.
const BLOCK_MAX: usize = 1024;

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

/// One token of the tour: a person's entry (with their role slot) or exit.
#[derive(Debug, Clone, Copy)]
struct Token {
    slot: u32,
    /// Role slot for an entry, [`EXIT`] for an exit.
    role: u32,
}

impl Token {
    fn is_entry(self) -> bool {
        self.role != EXIT
    }
}

/// Where a token is: its block (by id) and its offset in the block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Loc {
    block: u32,
    offset: u32,
}

/// A run of consecutive tokens of the tour.
#[derive(Debug, Clone, Default)]
struct Block {
    tokens: Vec<Token>,
    /// Entries per role slot; roles past the end count zero.
    roles: Vec<u32>,
}

impl Block {
    fn add_role(&mut self, role: u32, delta: i64) {
        let r = role as usize;
        if self.roles.len() <= r {
            self.roles.resize(r + 1, 0);
        }
        self.roles[r] = u32::try_from(i64::from(self.roles[r]) + delta).unwrap_or(0);
    }
}

/// The reporting tree of active people, indexed for subtree queries.
#[derive(Debug, Clone)]
pub struct OrgIndex {
    /// Person in each slot (stale for a free slot).
    ids: Vec<PersonId>,
    /// Manager's slot, or `NONE` for a top.
    parent: Vec<u32>,
    /// Number of direct reports.
    direct: Vec<u32>,
    /// Where each slot's entry token is.
    entry: Vec<Loc>,
    /// Where each slot's exit token is.
    exit: Vec<Loc>,
    /// Slots given back by people who left.
    free_slots: Vec<u32>,
    /// Slot of each person in the tree.
    slot_of: PosMap,
    /// People in the tree.
    len: usize,
    /// Blocks by id (a free id holds an empty block).
    blocks: Vec<Block>,
    /// Block ids given back by merges.
    free_blocks: Vec<u32>,
    /// Block ids in tour order.
    order: Vec<u32>,
    /// Index in `order` of each block id.
    rank: Vec<u32>,
    /// Tokens before each block of `order` (one more element: the total).
    tokens_before: Vec<u32>,
    /// Entries of each role before each block of `order`: row `i` (of
    /// `stride` counts) for `order[i]`, one more row for the totals.
    roles_before: Vec<u32>,
    /// Row length of `roles_before`: the number of roles it was laid out for.
    stride: usize,
    /// Interned roles.
    roles: Vec<RoleId>,
    /// Slot of each interned role.
    role_slot: FastMap<RoleId, u32>,
    /// Largest number of tokens in a block.
    block_max: usize,
}

impl Default for OrgIndex {
    fn default() -> Self {
        Self::empty(BLOCK_MAX)
    }
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
    fn empty(block_max: usize) -> Self {
        Self {
            ids: Vec::new(),
            parent: Vec::new(),
            direct: Vec::new(),
            entry: Vec::new(),
            exit: Vec::new(),
            free_slots: Vec::new(),
            slot_of: PosMap::default(),
            len: 0,
            blocks: Vec::new(),
            free_blocks: Vec::new(),
            order: Vec::new(),
            rank: Vec::new(),
            tokens_before: vec![0],
            roles_before: Vec::new(),
            stride: 0,
            roles: Vec::new(),
            role_slot: FastMap::default(),
            block_max: block_max.max(4),
        }
    }

    /// Builds the index in O(n log n) (a sort by id, then linear passes).
    /// A manager that is not among the nodes makes its report a top; nodes
    /// caught in a cycle (which the rules never let happen) are rooted at the
    /// lowest id of the cycle, so building never fails.
    pub fn build<'a>(nodes: impl IntoIterator<Item = Node<'a>>) -> Self {
        Self::build_with_block_size(nodes, BLOCK_MAX)
    }

    /// [`OrgIndex::build`] with blocks of at most `block_max` tokens (at
    /// least 4). Smaller blocks make updates cheaper and queries by role
    /// dearer; tests use tiny blocks so that every update splits and merges.
    pub fn build_with_block_size<'a>(
        nodes: impl IntoIterator<Item = Node<'a>>,
        block_max: usize,
    ) -> Self {
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
        drop(tmp);
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
        drop(fill);

        let mut index = Self::empty(block_max);
        index.ids.reserve_exact(n);
        index.parent.reserve_exact(n);
        index.direct.reserve_exact(n);
        index.slot_of = PosMap::for_ids(first, last, n);
        // Slots are given in pre-order, so a block's tokens have nearby slots.
        let mut slot_tmp = vec![NONE; n];
        let mut tour: Vec<Token> = Vec::with_capacity(2 * n);
        let mut stack: Vec<(u32, u32)> = Vec::new();
        let roots = (0..n).filter(|&i| parent_tmp[i] == NONE);
        // Then whatever a cycle kept unreachable, lowest id first.
        let stragglers = 0..n;
        for start in roots.chain(stragglers) {
            if slot_tmp[start] != NONE {
                continue;
            }
            let start = to_u32(start);
            index.visit(start, NONE, &nodes, &mut slot_tmp, &mut tour);
            stack.push((start, offsets[start as usize]));
            while let Some(top) = stack.last_mut() {
                let (node, cursor) = *top;
                if cursor < offsets[node as usize + 1] {
                    top.1 += 1;
                    let child = children[cursor as usize];
                    if slot_tmp[child as usize] == NONE {
                        let parent = slot_tmp[node as usize];
                        index.visit(child, parent, &nodes, &mut slot_tmp, &mut tour);
                        stack.push((child, offsets[child as usize]));
                    }
                } else {
                    stack.pop();
                    tour.push(Token {
                        slot: slot_tmp[node as usize],
                        role: EXIT,
                    });
                }
            }
        }
        index.len = index.ids.len();
        index.entry = vec![Loc::default(); index.len];
        index.exit = vec![Loc::default(); index.len];
        // Blocks start three quarters full, leaving room for hires.
        let fill = (index.block_max * 3 / 4).max(2);
        for chunk in tour.chunks(fill) {
            let id = index.new_block();
            let block = &mut index.blocks[id as usize];
            block.tokens.reserve_exact(index.block_max);
            block.tokens.extend_from_slice(chunk);
            block.roles = vec![0; index.roles.len()];
            for token in chunk {
                if token.is_entry() {
                    block.roles[token.role as usize] += 1;
                }
            }
            index.order.push(id);
            index.relocate(id, 0);
        }
        index.refresh_from(0);
        index
    }

    /// Gives `node` the next slot under the manager in slot `parent` and
    /// appends its entry token.
    fn visit(
        &mut self,
        node: u32,
        parent: u32,
        nodes: &[Node<'_>],
        slot_tmp: &mut [u32],
        tour: &mut Vec<Token>,
    ) {
        let slot = to_u32(self.ids.len());
        let info = &nodes[node as usize];
        slot_tmp[node as usize] = slot;
        self.ids.push(info.id);
        self.slot_of.insert(info.id, slot);
        self.parent.push(parent);
        self.direct.push(0);
        if parent != NONE {
            self.direct[parent as usize] += 1;
        }
        let role = self.intern(info.role);
        tour.push(Token { slot, role });
    }

    fn intern(&mut self, role: &RoleId) -> u32 {
        if let Some(&slot) = self.role_slot.get(role) {
            return slot;
        }
        let slot = to_u32(self.roles.len());
        self.roles.push(role.clone());
        self.role_slot.insert(role.clone(), slot);
        slot
    }

    /// Number of people indexed (the active people).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nobody is indexed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the person is in the tree (that is, active).
    pub fn contains(&self, person: PersonId) -> bool {
        self.slot_of.get(person).is_some()
    }

    fn slot(&self, person: PersonId) -> Option<usize> {
        self.slot_of.get(person).map(|s| s as usize)
    }

    /// Index in tour order of the block holding `loc`.
    fn block_rank(&self, loc: Loc) -> usize {
        self.rank[loc.block as usize] as usize
    }

    /// Number of tokens before `loc` in the tour.
    fn token_rank(&self, loc: Loc) -> usize {
        self.tokens_before[self.block_rank(loc)] as usize + loc.offset as usize
    }

    /// Whether `a` comes before `b` in the tour.
    fn precedes(&self, a: Loc, b: Loc) -> bool {
        (self.block_rank(a), a.offset) < (self.block_rank(b), b.offset)
    }

    fn token(&self, loc: Loc) -> Option<Token> {
        self.blocks
            .get(loc.block as usize)?
            .tokens
            .get(loc.offset as usize)
            .copied()
    }

    /// The token after `loc`, if any.
    fn next(&self, loc: Loc) -> Option<Loc> {
        let block = self.blocks.get(loc.block as usize)?;
        if (loc.offset as usize) + 1 < block.tokens.len() {
            return Some(Loc {
                block: loc.block,
                offset: loc.offset + 1,
            });
        }
        let following = *self.order.get(self.block_rank(loc) + 1)?;
        Some(Loc {
            block: following,
            offset: 0,
        })
    }

    /// The tokens strictly between `from` and `to` (`from` before `to`), in
    /// tour order.
    fn between(&self, from: Loc, to: Loc) -> impl Iterator<Item = Token> + '_ {
        let (first, last) = (self.block_rank(from), self.block_rank(to));
        (first..=last).flat_map(move |i| {
            let tokens = &self.blocks[self.order[i] as usize].tokens;
            let start = if i == first {
                from.offset as usize + 1
            } else {
                0
            };
            let end = if i == last {
                to.offset as usize
            } else {
                tokens.len()
            };
            tokens.get(start..end).unwrap_or_default().iter().copied()
        })
    }

    /// Everyone in pre-order: each person is followed by everyone below them.
    pub fn pre_order(&self) -> impl Iterator<Item = PersonId> + '_ {
        self.order
            .iter()
            .flat_map(|&b| &self.blocks[b as usize].tokens)
            .filter(|t| t.is_entry())
            .map(|t| self.ids[t.slot as usize])
    }

    /// Everyone strictly below `person` (their whole subtree, themselves
    /// excluded), in pre-order; `None` if they are not in the tree.
    pub fn below(&self, person: PersonId) -> Option<Vec<PersonId>> {
        let s = self.slot(person)?;
        let mut below = Vec::with_capacity(self.below_count(s));
        below.extend(
            self.between(self.entry[s], self.exit[s])
                .filter(|t| t.is_entry())
                .map(|t| self.ids[t.slot as usize]),
        );
        Some(below)
    }

    fn below_count(&self, s: usize) -> usize {
        (self.token_rank(self.exit[s]) - self.token_rank(self.entry[s]) - 1) / 2
    }

    /// How many people are strictly below `person`, in O(1).
    pub fn headcount_below(&self, person: PersonId) -> Option<usize> {
        self.slot(person).map(|s| self.below_count(s))
    }

    /// Whether `person` is strictly below `boss` in the current tree, in O(1).
    pub fn is_below(&self, person: PersonId, boss: PersonId) -> bool {
        match (self.slot(person), self.slot(boss)) {
            (Some(p), Some(b)) => self.slot_is_below(p, b),
            _ => false,
        }
    }

    fn slot_is_below(&self, p: usize, b: usize) -> bool {
        self.precedes(self.entry[b], self.entry[p]) && self.precedes(self.entry[p], self.exit[b])
    }

    /// The management chain of `person`: their manager first, then that
    /// manager's manager, up to the top; `person` excluded, empty for a root.
    pub fn chain(&self, person: PersonId) -> Option<Vec<PersonId>> {
        let mut p = self.parent[self.slot(person)?];
        let mut chain = Vec::new();
        while p != NONE && chain.len() < self.len {
            chain.push(self.ids[p as usize]);
            p = self.parent[p as usize];
        }
        Some(chain)
    }

    /// The person's manager in the tree (`None` for a root or someone absent).
    pub fn manager(&self, person: PersonId) -> Option<PersonId> {
        let p = self.parent[self.slot(person)?];
        (p != NONE).then(|| self.ids[p as usize])
    }

    /// Distance from the top: 0 for someone with no manager. O(depth).
    pub fn depth(&self, person: PersonId) -> Option<usize> {
        let mut p = self.parent[self.slot(person)?];
        let mut depth = 0;
        while p != NONE && depth < self.len {
            depth += 1;
            p = self.parent[p as usize];
        }
        Some(depth)
    }

    /// Span of control: the number of direct reports.
    pub fn span(&self, person: PersonId) -> Option<usize> {
        self.slot(person).map(|s| self.direct[s] as usize)
    }

    /// Direct reports, in pre-order (by id for a freshly built index, then
    /// in the order they joined), in O(reports).
    pub fn direct_reports(&self, person: PersonId) -> Option<Vec<PersonId>> {
        let s = self.slot(person)?;
        let mut reports = Vec::with_capacity(self.direct[s] as usize);
        let mut at = self.next(self.entry[s]);
        while let Some(loc) = at
            && loc != self.exit[s]
        {
            let Some(token) = self.token(loc) else { break };
            reports.push(self.ids[token.slot as usize]);
            at = self.next(self.exit[token.slot as usize]);
        }
        Some(reports)
    }

    /// Headcount per role strictly below `under` (everyone when `None`), non-zero
    /// counts only, in no particular order; `None` if `under` is not in the tree.
    /// O(roles + block size).
    pub fn headcount_by_role(&self, under: Option<PersonId>) -> Option<Vec<(&RoleId, usize)>> {
        let stride = self.stride;
        let mut counts: Vec<i64> = vec![0; stride];
        let row = |i: usize| &self.roles_before[i * stride..(i + 1) * stride];
        match under {
            None => {
                for (count, total) in counts.iter_mut().zip(row(self.order.len())) {
                    *count = i64::from(*total);
                }
            }
            Some(person) => {
                let s = self.slot(person)?;
                let (from, to) = (self.entry[s], self.exit[s]);
                let (first, last) = (self.block_rank(from), self.block_rank(to));
                let tokens = |loc: Loc| &self.blocks[loc.block as usize].tokens;
                if first == last {
                    let inside = tokens(from)
                        .get(from.offset as usize + 1..to.offset as usize)
                        .unwrap_or_default();
                    tally(&mut counts, inside, 1);
                } else {
                    // Whole blocks in between, from the per-role counts.
                    for ((count, after), before) in
                        counts.iter_mut().zip(row(last)).zip(row(first + 1))
                    {
                        *count = i64::from(*after) - i64::from(*before);
                    }
                    self.tally_part(&mut counts, from.block, from.offset as usize + 1, false);
                    self.tally_part(&mut counts, to.block, to.offset as usize, true);
                }
            }
        }
        Some(
            counts
                .iter()
                .zip(&self.roles)
                .filter(|(count, _)| **count > 0)
                .map(|(count, role)| (role, usize::try_from(*count).unwrap_or(0)))
                .collect(),
        )
    }

    /// Adds the entries of one part of a block to `counts`: the tokens before
    /// `at` (`head`) or from `at` on, counting whichever side is shorter.
    fn tally_part(&self, counts: &mut [i64], block: u32, at: usize, head: bool) {
        let block = &self.blocks[block as usize];
        let at = at.min(block.tokens.len());
        let (before, after) = block.tokens.split_at(at);
        let (wanted, other) = if head {
            (before, after)
        } else {
            (after, before)
        };
        if wanted.len() <= other.len() {
            tally(counts, wanted, 1);
        } else {
            for (count, total) in counts.iter_mut().zip(&block.roles) {
                *count += i64::from(*total);
            }
            tally(counts, other, -1);
        }
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

    /// Moves a person to another role: one token, and the per-role counts of
    /// the blocks after it, O(blocks).
    pub fn set_role(&mut self, person: PersonId, role: &RoleId) {
        let Some(s) = self.slot(person) else {
            return;
        };
        let new = self.intern(role);
        let loc = self.entry[s];
        let block = &mut self.blocks[loc.block as usize];
        let Some(token) = block.tokens.get_mut(loc.offset as usize) else {
            return;
        };
        let old = token.role;
        if old == new {
            return;
        }
        token.role = new;
        block.add_role(old, -1);
        block.add_role(new, 1);
        let from = self.block_rank(loc) + 1;
        self.shift_counts(from, 0, &[(old, -1), (new, 1)]);
    }

    /// Adds a new person with no reports under `manager` (a root when
    /// `None` or when the manager is not in the tree), at the end of the
    /// manager's subtree: two tokens into one block, O(block + blocks).
    pub fn insert_leaf(&mut self, person: PersonId, manager: Option<PersonId>, role: &RoleId) {
        if self.contains(person) {
            return;
        }
        let role = self.intern(role);
        let parent = manager.and_then(|m| self.slot(m));
        let slot = self.new_slot(person, parent);
        let at = match parent {
            Some(m) => self.exit[m],
            None => self.end_of_tour(),
        };
        let mut at = at;
        let first = self.block_rank(at);
        let mut reshaped = false;
        if self.blocks[at.block as usize].tokens.len() + 2 > self.block_max {
            let half = self.blocks[at.block as usize].tokens.len() / 2;
            let right = self.split(at.block, half);
            if at.offset as usize >= half {
                at = Loc {
                    block: right,
                    offset: at.offset - to_u32(half),
                };
            }
            reshaped = true;
        }
        let block = &mut self.blocks[at.block as usize];
        let offset = at.offset as usize;
        block.tokens.splice(
            offset..offset,
            [Token { slot, role }, Token { slot, role: EXIT }],
        );
        block.add_role(role, 1);
        self.relocate(at.block, offset);
        if reshaped {
            self.refresh_from(first);
        } else {
            self.shift_counts(first + 1, 2, &[(role, 1)]);
        }
    }

    /// Where a new top goes: after the last token (a new block when empty).
    fn end_of_tour(&mut self) -> Loc {
        if let Some(&last) = self.order.last() {
            return Loc {
                block: last,
                offset: to_u32(self.blocks[last as usize].tokens.len()),
            };
        }
        let block = self.new_block();
        self.order.push(block);
        self.refresh_from(0);
        Loc { block, offset: 0 }
    }

    /// Removes a person with no reports (someone who left). Returns `false`
    /// and changes nothing when they still have people below them, so that
    /// the caller can rebuild instead.
    pub fn remove_leaf(&mut self, person: PersonId) -> bool {
        let Some(s) = self.slot(person) else {
            return true;
        };
        if self.next(self.entry[s]) != Some(self.exit[s]) {
            return false;
        }
        let role = self.token(self.entry[s]).map_or(EXIT, |t| t.role);
        let first = self.block_rank(self.entry[s]);
        // Two blocks' token counts change when the two tokens straddle them.
        let straddles = self.entry[s].block != self.exit[s].block;
        // The exit first: when both share a block, the entry's offset holds.
        let mut reshaped = straddles | self.remove_token(self.exit[s]);
        reshaped |= self.remove_token(self.entry[s]);
        let parent = self.parent[s];
        if parent != NONE {
            self.direct[parent as usize] -= 1;
        }
        self.free_slot(person, s);
        if !reshaped {
            let at = self.order.get(first).copied();
            reshaped = at.is_some_and(|b| self.merge_around(b));
        }
        if reshaped {
            self.refresh_from(first.saturating_sub(1));
        } else {
            self.shift_counts(first + 1, -2, &[(role, -1)]);
        }
        true
    }

    /// Takes one token out; returns whether a block went (it was the last).
    fn remove_token(&mut self, loc: Loc) -> bool {
        let block = &mut self.blocks[loc.block as usize];
        let offset = loc.offset as usize;
        if offset >= block.tokens.len() {
            return false;
        }
        let token = block.tokens.remove(offset);
        if token.is_entry() {
            block.add_role(token.role, -1);
        }
        if block.tokens.is_empty() {
            let i = self.block_rank(loc);
            self.order.remove(i);
            self.release_block(loc.block);
            for (j, &b) in self.order.iter().enumerate().skip(i) {
                self.rank[b as usize] = to_u32(j);
            }
            return true;
        }
        self.relocate(loc.block, offset);
        false
    }

    /// Moves `person` and everyone below them under `manager` (to the top
    /// when `None` or when the manager is not in the tree), placing them at
    /// the end of the manager's subtree: their blocks move as a whole after
    /// at most three splits, O(block + blocks · roles), no rebuild.
    /// Returns `false` and changes nothing when the move would make a cycle
    /// (the manager is the person or below them), so the caller can rebuild.
    pub fn move_subtree(&mut self, person: PersonId, manager: Option<PersonId>) -> bool {
        let Some(s) = self.slot(person) else {
            return true;
        };
        let new_parent = manager.and_then(|m| self.slot(m));
        if new_parent.is_some_and(|m| m == s || self.slot_is_below(m, s)) {
            return false;
        }
        let old_parent = self.parent[s];
        if old_parent != NONE {
            self.direct[old_parent as usize] -= 1;
        }
        if let Some(m) = new_parent {
            self.direct[m] += 1;
        }
        self.parent[s] = new_parent.map_or(NONE, to_u32);

        // Cut the subtree out as whole blocks, and the place it goes to.
        self.split_before(self.entry[s]);
        self.split_after(self.exit[s]);
        if let Some(m) = new_parent {
            self.split_before(self.exit[m]);
        }
        let first = self.block_rank(self.entry[s]);
        let end = self.block_rank(self.exit[s]) + 1;
        let target = new_parent.map_or(self.order.len(), |m| self.block_rank(self.exit[m]));
        let (lo, hi) = if target < first {
            self.order[target..end].rotate_right(end - first);
            (target, end)
        } else if target > end {
            self.order[first..target].rotate_left(end - first);
            (first, target)
        } else {
            (first, end)
        };
        // A split changed the block before `lo` too.
        let lo = lo.saturating_sub(1);
        let hi = (hi + 1).min(self.order.len());
        self.merge_window(lo, hi);
        self.refresh_from(lo);
        true
    }

    /// Makes the token at `loc` the first of its block.
    fn split_before(&mut self, loc: Loc) {
        if loc.offset > 0 {
            self.split(loc.block, loc.offset as usize);
        }
    }

    /// Makes the token at `loc` the last of its block.
    fn split_after(&mut self, loc: Loc) {
        if (loc.offset as usize) + 1 < self.blocks[loc.block as usize].tokens.len() {
            self.split(loc.block, loc.offset as usize + 1);
        }
    }

    /// Splits a block before offset `at`; the tokens from `at` on go to a
    /// new block placed right after it. Returns the new block's id. Keeps
    /// `rank` right; the counts before blocks are left to the caller.
    fn split(&mut self, block: u32, at: usize) -> u32 {
        let right = self.new_block();
        let tokens = self.blocks[block as usize].tokens.split_off(at);
        let mut roles = vec![0; self.roles.len()];
        for token in tokens.iter().filter(|t| t.is_entry()) {
            roles[token.role as usize] += 1;
        }
        let left = &mut self.blocks[block as usize];
        for (count, moved) in left.roles.iter_mut().zip(&roles) {
            *count -= moved;
        }
        let mut moved = Vec::with_capacity(self.block_max);
        moved.extend_from_slice(&tokens);
        self.blocks[right as usize] = Block {
            tokens: moved,
            roles,
        };
        self.relocate(right, 0);
        let i = self.rank[block as usize] as usize + 1;
        self.order.insert(i, right);
        for (j, &b) in self.order.iter().enumerate().skip(i) {
            self.rank[b as usize] = to_u32(j);
        }
        right
    }

    /// Merges small neighbours among `order[lo..hi]` (and the block after
    /// it). Returns whether any merged.
    fn merge_window(&mut self, lo: usize, hi: usize) -> bool {
        let small = self.block_max / 4;
        let mut merged = false;
        let mut i = lo;
        let mut hi = hi;
        while i < hi && i + 1 < self.order.len() {
            let (a, b) = (self.order[i], self.order[i + 1]);
            let (la, lb) = (
                self.blocks[a as usize].tokens.len(),
                self.blocks[b as usize].tokens.len(),
            );
            if (la < small || lb < small) && la + lb <= self.block_max {
                let taken = std::mem::take(&mut self.blocks[b as usize]);
                let into = &mut self.blocks[a as usize];
                into.tokens.extend_from_slice(&taken.tokens);
                for (role, count) in taken.roles.iter().enumerate() {
                    into.add_role(to_u32(role), i64::from(*count));
                }
                self.relocate(a, la);
                self.order.remove(i + 1);
                self.release_block(b);
                hi = hi.saturating_sub(1);
                merged = true;
            } else {
                i += 1;
            }
        }
        merged
    }

    /// Merges the block `block` with a neighbour if either is small.
    fn merge_around(&mut self, block: u32) -> bool {
        let i = self.rank[block as usize] as usize;
        self.merge_window(i.saturating_sub(1), i + 1)
    }

    /// Records where the tokens of `block` from `from` on now are.
    fn relocate(&mut self, block: u32, from: usize) {
        let tokens = &self.blocks[block as usize].tokens;
        for (offset, token) in tokens.iter().enumerate().skip(from) {
            let loc = Loc {
                block,
                offset: to_u32(offset),
            };
            let slot = token.slot as usize;
            if token.is_entry() {
                self.entry[slot] = loc;
            } else {
                self.exit[slot] = loc;
            }
        }
    }

    /// Recomputes the block ranks and the counts before each block from
    /// `order[first]` on (from the start if a role was added since).
    fn refresh_from(&mut self, first: usize) {
        let stride = self.roles.len();
        let first = if stride == self.stride { first } else { 0 };
        self.stride = stride;
        let n = self.order.len();
        self.rank.resize(self.blocks.len(), NONE);
        self.tokens_before.resize(n + 1, 0);
        self.roles_before.resize((n + 1) * stride, 0);
        let first = first.min(n);
        if first == 0 {
            self.tokens_before[0] = 0;
            self.roles_before[..stride].fill(0);
        }
        for i in first..n {
            let b = self.order[i];
            let block = &self.blocks[b as usize];
            self.rank[b as usize] = to_u32(i);
            self.tokens_before[i + 1] = self.tokens_before[i] + to_u32(block.tokens.len());
            let (done, next) = self.roles_before.split_at_mut((i + 1) * stride);
            let before = &done[i * stride..];
            for (r, out) in next[..stride].iter_mut().enumerate() {
                *out = before[r] + block.roles.get(r).copied().unwrap_or(0);
            }
        }
    }

    /// Adds `tokens` to the tokens before every block from `order[from]` on
    /// (and the total), and each `(role, delta)` to that role's counts.
    fn shift_counts(&mut self, from: usize, tokens: i64, roles: &[(u32, i64)]) {
        if self.stride != self.roles.len() {
            self.refresh_from(0);
            return;
        }
        let n = self.order.len();
        for before in self.tokens_before.iter_mut().take(n + 1).skip(from) {
            *before = u32::try_from(i64::from(*before) + tokens).unwrap_or(0);
        }
        for &(role, delta) in roles {
            let r = role as usize;
            for i in from..=n {
                let cell = &mut self.roles_before[i * self.stride + r];
                *cell = u32::try_from(i64::from(*cell) + delta).unwrap_or(0);
            }
        }
    }

    fn new_block(&mut self) -> u32 {
        if let Some(id) = self.free_blocks.pop() {
            return id;
        }
        self.blocks.push(Block::default());
        self.rank.push(NONE);
        to_u32(self.blocks.len() - 1)
    }

    fn release_block(&mut self, block: u32) {
        self.blocks[block as usize] = Block::default();
        self.rank[block as usize] = NONE;
        self.free_blocks.push(block);
    }

    fn new_slot(&mut self, person: PersonId, parent: Option<usize>) -> u32 {
        let parent = parent.map_or(NONE, to_u32);
        if parent != NONE {
            self.direct[parent as usize] += 1;
        }
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                let s = slot as usize;
                self.ids[s] = person;
                self.parent[s] = parent;
                self.direct[s] = 0;
                slot
            }
            None => {
                self.ids.push(person);
                self.parent.push(parent);
                self.direct.push(0);
                self.entry.push(Loc::default());
                self.exit.push(Loc::default());
                to_u32(self.ids.len() - 1)
            }
        };
        self.slot_of.insert(person, slot);
        self.len += 1;
        slot
    }

    fn free_slot(&mut self, person: PersonId, slot: usize) {
        self.slot_of.remove(person);
        self.parent[slot] = NONE;
        self.free_slots.push(to_u32(slot));
        self.len -= 1;
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
        self.ids.capacity() * size_of::<PersonId>()
            + (self.parent.capacity()
                + self.direct.capacity()
                + self.free_slots.capacity()
                + self.free_blocks.capacity()
                + self.order.capacity()
                + self.rank.capacity()
                + self.tokens_before.capacity()
                + self.roles_before.capacity())
                * size_of::<u32>()
            + (self.entry.capacity() + self.exit.capacity()) * size_of::<Loc>()
            + self.slot_of.bytes()
            + map_bytes(&self.role_slot)
            + self
                .roles
                .iter()
                .map(|r| size_of::<RoleId>() + r.as_str().len())
                .sum::<usize>()
            + self
                .blocks
                .iter()
                .map(|b| {
                    size_of::<Block>()
                        + b.tokens.capacity() * size_of::<Token>()
                        + b.roles.capacity() * size_of::<u32>()
                })
                .sum::<usize>()
    }
}

/// Adds `sign` to the count of each entry's role.
fn tally(counts: &mut [i64], tokens: &[Token], sign: i64) {
    for token in tokens.iter().filter(|t| t.is_entry()) {
        if let Some(count) = counts.get_mut(token.role as usize) {
            *count += sign;
        }
    }
}

/// Slots, offsets and counts fit in `u32`: the index is meant for up to a
/// few million people.
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
        assert_eq!(
            index.pre_order().collect::<Vec<_>>(),
            ids(&[1, 2, 4, 5, 7, 3, 6, 8])
        );
        assert_eq!(index.below(PersonId(2)), Some(ids(&[4, 5, 7])));
        assert_eq!(index.below(PersonId(7)), Some(Vec::new()));
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
        let mut people: Vec<PersonId> = a.pre_order().collect();
        people.sort_unstable();
        let mut other: Vec<PersonId> = b.pre_order().collect();
        other.sort_unstable();
        assert_eq!(people, other);
        for &p in &people {
            let sorted = |below: Option<Vec<PersonId>>| {
                below.map(|mut v| {
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
