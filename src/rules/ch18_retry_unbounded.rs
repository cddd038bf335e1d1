//! PM1804: a `while True:` retry loop with no limit on the attempts (§18.3.1). When the
//! failure is permanent the loop spins for ever, and against a struggling service it keeps up
//! the pressure that made it fail.

use super::log_util::{can_stop, retry_loop};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Operator, Stmt};
use crate::syntax::span;

pub struct RetryUnbounded;

const CODE: &str = "PM1804";

impl Rule for RetryUnbounded {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::While]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(r) = retry_loop(stmt) else { return };
        if !r.forever || counts(r.body) {
            return;
        }
        // A way out other than success: a limit checked in a handler or around the `try`.
        if r.retrying.iter().any(|h| can_stop(&h.body)) {
            return;
        }
        let outside_try = r
            .body
            .iter()
            .filter(|s| !r.tries.iter().any(|t| std::ptr::eq(*t, *s)))
            .any(|s| can_stop(std::slice::from_ref(s)));
        if outside_try {
            return;
        }
        ctx.report(CODE, (span(stmt).0, r.header_end), &[], None);
    }
}

/// True when the loop body counts something: `n += 1`, or `n = n + 1`.
fn counts(body: &[Stmt]) -> bool {
    super::conc_common::any_in_scope(body, |n| match n {
        Node::Stmt(Stmt::AugAssign(_)) => true,
        Node::Stmt(Stmt::Assign(a)) => {
            matches!(&*a.value, Expr::BinOp(b) if matches!(b.op, Operator::Add | Operator::Sub))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_retry_loops_without_a_limit() {
        let src = "def fetch():\n    while True:\n        try:\n            return client.get()\n        except ConnectionError:\n            time.sleep(1)\n    while 1:\n        try:\n            conn = connect()\n            break\n        except OSError:\n            log.warning('retrying')\n            continue\n";
        let found = findings(src, "PM1804", T);
        assert_eq!(flagged(src, &found), ["while True", "while 1"]);
        assert_eq!(
            found[0].message,
            "This loop retries until the call succeeds, with no limit on the attempts: count them (or set a deadline) and give up by raising"
        );
        assert_eq!(found[0].section, "18.3.1");
    }

    #[test]
    fn silent_on_bounded_loops_and_loops_that_are_not_retries() {
        for src in [
            // a counter
            "while True:\n    try:\n        return get()\n    except OSError:\n        attempts += 1\n        if attempts > 5:\n            raise\n",
            // a deadline checked outside the try
            "while True:\n    if time.monotonic() > deadline:\n        raise TimeoutError\n    try:\n        return get()\n    except OSError:\n        time.sleep(1)\n",
            // a handler that gives up under a condition
            "while True:\n    try:\n        return get()\n    except OSError as e:\n        if e.errno != EAGAIN:\n            raise\n",
            // a server loop: no success exit
            "while True:\n    try:\n        handle(accept())\n    except Exception:\n        log.exception('x')\n",
            // a reader loop: the handler leaves
            "while True:\n    try:\n        line = next(it)\n    except StopIteration:\n        break\n",
            // EINTR restart
            "while True:\n    try:\n        return os.read(fd, n)\n    except InterruptedError:\n        continue\n",
            // asking the user again
            "while True:\n    try:\n        n = int(input('n? '))\n        break\n    except ValueError:\n        print('a number please')\n",
            // a bounded for loop is PM1805's
            "for attempt in range(3):\n    try:\n        return get()\n    except OSError:\n        pass\n",
        ] {
            assert!(findings(src, "PM1804", T).is_empty(), "{src}");
        }
    }
}
