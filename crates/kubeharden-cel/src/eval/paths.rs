//! Where the values read from `object` came from: an arena of path nodes, one per select or
//! index that read inside `object`, each naming its parent.
//!
//! A value's origin is an index into the arena (`Copy`, nothing to free), and a node's key
//! shares the map's own key, so reading a field allocates nothing but the arena's slot. The
//! arena lives as long as one policy evaluation. It is bounded: once [`MAX_NODES`] reads are
//! recorded (only a policy that loops over huge inputs gets there, and its cost budget ends
//! it soon after), no path is known for the rest of the evaluation, and its violations fall
//! back to the object's name rather than point at a field read earlier.

use std::rc::Rc;

use crate::PathSegment;

/// An index into [`Paths`]; `None`: not read from `object`.
pub type Origin = Option<u32>;

#[derive(Debug)]
enum Segment {
    /// The root of `object`, which is not part of any path.
    Root,
    Key(Rc<str>),
    Index(usize),
}

#[derive(Debug)]
struct Node {
    parent: Origin,
    segment: Segment,
}

/// At most this many nodes per evaluation (8 MB at 32 bytes a node).
const MAX_NODES: usize = 1 << 18;

#[derive(Debug, Default)]
pub struct Paths {
    nodes: Vec<Node>,
    /// The bound was reached: no path is known any more.
    exhausted: bool,
}

impl Paths {
    fn push(&mut self, parent: Origin, segment: Segment) -> Origin {
        if self.nodes.len() >= MAX_NODES {
            self.exhausted = true;
            return None;
        }
        let at = u32::try_from(self.nodes.len()).ok()?;
        self.nodes.push(Node { parent, segment });
        Some(at)
    }

    /// A new root for `object`'s paths.
    pub fn root(&mut self) -> Origin {
        self.push(None, Segment::Root)
    }

    /// The path one key below `origin` (none when `origin` is none: other values cost nothing).
    pub fn key(&mut self, origin: Origin, key: &Rc<str>) -> Origin {
        origin.and_then(|parent| self.push(Some(parent), Segment::Key(key.clone())))
    }

    /// The path one list index below `origin`.
    pub fn index(&mut self, origin: Origin, index: usize) -> Origin {
        origin.and_then(|parent| self.push(Some(parent), Segment::Index(index)))
    }

    /// The path from `object` down to `origin`; empty once the bound was reached.
    pub fn path(&self, origin: Origin) -> Vec<PathSegment> {
        let mut out = Vec::new();
        if self.exhausted {
            return out;
        }
        let mut at = origin;
        while let Some(node) = at.and_then(|i| self.nodes.get(i as usize)) {
            match &node.segment {
                Segment::Root => {}
                Segment::Key(k) => out.push(PathSegment::Key(k.to_string())),
                Segment::Index(i) => out.push(PathSegment::Index(*i)),
            }
            at = node.parent;
        }
        out.reverse();
        out
    }
}
