//! CEL's operators, known by their function names (`_&&_`, `_==_`, `@in`, ...).
//!
//! Every call the interpreter evaluates asks whether its function is an operator, and most
//! calls are: classifying the name by its length and its two first bytes picks the one
//! candidate to compare, instead of comparing the name with each operator in turn.

use cel::common::ast::operators;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    And,
    Or,
    Conditional,
    NotStrictlyFalse,
    Index,
    OptIndex,
    OptSelect,
    Equals,
    NotEquals,
    Less,
    LessEquals,
    Greater,
    GreaterEquals,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Not,
    Negate,
    In,
}

impl Op {
    /// The operator called `name`, if it is one.
    pub fn of(name: &str) -> Option<Op> {
        let b = name.as_bytes();
        let (first, second) = (*b.first()?, *b.get(1)?);
        let (op, spelled) = match (b.len(), first, second) {
            (4, b'_', b'&') => (Op::And, operators::LOGICAL_AND),
            (4, b'_', b'|') => (Op::Or, operators::LOGICAL_OR),
            (5, b'_', b'?') => (Op::Conditional, operators::CONDITIONAL),
            (19, b'@', b'n') => (Op::NotStrictlyFalse, operators::NOT_STRICTLY_FALSE),
            (4, b'_', b'[') => (Op::Index, operators::INDEX),
            (5, b'_', b'[') => (Op::OptIndex, operators::OPT_INDEX),
            (4, b'_', b'?') => (Op::OptSelect, operators::OPT_SELECT),
            (4, b'_', b'=') => (Op::Equals, operators::EQUALS),
            (4, b'_', b'!') => (Op::NotEquals, operators::NOT_EQUALS),
            (3, b'_', b'<') => (Op::Less, operators::LESS),
            (4, b'_', b'<') => (Op::LessEquals, operators::LESS_EQUALS),
            (3, b'_', b'>') => (Op::Greater, operators::GREATER),
            (4, b'_', b'>') => (Op::GreaterEquals, operators::GREATER_EQUALS),
            (3, b'_', b'+') => (Op::Add, operators::ADD),
            (3, b'_', b'-') => (Op::Subtract, operators::SUBSTRACT),
            (3, b'_', b'*') => (Op::Multiply, operators::MULTIPLY),
            (3, b'_', b'/') => (Op::Divide, operators::DIVIDE),
            (3, b'_', b'%') => (Op::Modulo, operators::MODULO),
            (2, b'!', b'_') => (Op::Not, operators::LOGICAL_NOT),
            (2, b'-', b'_') => (Op::Negate, operators::NEGATE),
            (3, b'@', b'i') => (Op::In, operators::IN),
            _ => return None,
        };
        (name == spelled).then_some(op)
    }

    /// Its function name, as the parser spells it.
    #[cfg(test)]
    pub fn name(self) -> &'static str {
        match self {
            Op::And => operators::LOGICAL_AND,
            Op::Or => operators::LOGICAL_OR,
            Op::Conditional => operators::CONDITIONAL,
            Op::NotStrictlyFalse => operators::NOT_STRICTLY_FALSE,
            Op::Index => operators::INDEX,
            Op::OptIndex => operators::OPT_INDEX,
            Op::OptSelect => operators::OPT_SELECT,
            Op::Equals => operators::EQUALS,
            Op::NotEquals => operators::NOT_EQUALS,
            Op::Less => operators::LESS,
            Op::LessEquals => operators::LESS_EQUALS,
            Op::Greater => operators::GREATER,
            Op::GreaterEquals => operators::GREATER_EQUALS,
            Op::Add => operators::ADD,
            Op::Subtract => operators::SUBSTRACT,
            Op::Multiply => operators::MULTIPLY,
            Op::Divide => operators::DIVIDE,
            Op::Modulo => operators::MODULO,
            Op::Not => operators::LOGICAL_NOT,
            Op::Negate => operators::NEGATE,
            Op::In => operators::IN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Op; 21] = [
        Op::And,
        Op::Or,
        Op::Conditional,
        Op::NotStrictlyFalse,
        Op::Index,
        Op::OptIndex,
        Op::OptSelect,
        Op::Equals,
        Op::NotEquals,
        Op::Less,
        Op::LessEquals,
        Op::Greater,
        Op::GreaterEquals,
        Op::Add,
        Op::Subtract,
        Op::Multiply,
        Op::Divide,
        Op::Modulo,
        Op::Not,
        Op::Negate,
        Op::In,
    ];

    #[test]
    fn every_operator_is_known_by_its_name_and_nothing_else_is() {
        for op in ALL {
            assert_eq!(Op::of(op.name()), Some(op), "{}", op.name());
        }
        for name in ["_x_", "_&_", "@inx", "@nope_strictly_fals", "size", "", "_", "!", "_[_)", "_&&_ "] {
            assert_eq!(Op::of(name), None, "{name}");
        }
    }
}
