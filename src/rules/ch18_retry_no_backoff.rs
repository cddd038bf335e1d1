//! PM1805: a retry loop that tries again at once (§18.3.1). With no pause between attempts
//! all the tries land within milliseconds, usually before the cause has gone away, and many
//! clients doing the same hammer a service that is already failing.

use super::log_util::{calls_named, retry_loop};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::span;

pub struct RetryNoBackoff;

const CODE: &str = "PM1805";

/// Call names that pause or schedule the next attempt.
const PAUSES: &[&str] = &["sleep", "wait", "backoff", "delay", "pause"];

impl Rule for RetryNoBackoff {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::While, Kind::For]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(r) = retry_loop(stmt) else { return };
        if calls_named(r.body, PAUSES) {
            return;
        }
        ctx.report(CODE, (span(stmt).0, r.header_end), &[], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_retries_without_a_pause() {
        let src = "def fetch():\n    for attempt in range(5):\n        try:\n            return client.get()\n        except ConnectionError:\n            log.warning('attempt %d failed', attempt)\n    for _ in range(3):\n        try:\n            conn = connect()\n        except OSError:\n            continue\n        else:\n            break\n";
        let found = findings(src, "PM1805", T);
        assert_eq!(
            flagged(src, &found),
            ["for attempt in range(5)", "for _ in range(3)"]
        );
        assert_eq!(
            found[0].message,
            "This loop retries at once after a failure: sleep between attempts, with a delay that grows (and some jitter)"
        );
        assert_eq!(found[0].section, "18.3.1");
    }

    #[test]
    fn silent_with_a_pause_or_when_not_retrying() {
        for src in [
            "for attempt in range(5):\n    try:\n        return get()\n    except OSError:\n        time.sleep(2 ** attempt)\n",
            "async def f():\n    for attempt in range(5):\n        try:\n            return await get()\n        except OSError:\n            await asyncio.sleep(backoff(attempt))\n",
            "for attempt in range(5):\n    try:\n        return get()\n    except OSError:\n        if attempt == 4:\n            raise\n        wait_before_retry(attempt)\n",
            // trying different candidates, not the same call again
            "for port in range(8000, 8100):\n    try:\n        return bind(port)\n    except OSError:\n        continue\n",
            "for seq in range(100):\n    try:\n        return os.open(next(names), flags)\n    except FileExistsError:\n        continue\n",
            // the handler gives up
            "for attempt in range(3):\n    try:\n        return get()\n    except OSError:\n        raise\n",
            "for item in items:\n    try:\n        return get(item)\n    except OSError:\n        pass\n",
            // a conditional exit is a processing loop, not a retry
            "while True:\n    try:\n        run()\n        if done():\n            break\n    except Restart:\n        pass\n",
            // moving on to the next key
            "while True:\n    try:\n        return table[next(keys)]\n    except KeyError:\n        continue\n",
            // the handler changes what the next attempt uses
            "while True:\n    try:\n        st = stat(path)\n        break\n    except OSError:\n        path = parent(path)\n",
            // cancellation is not a failure
            "async def f():\n    while True:\n        try:\n            await lock.acquire()\n            break\n        except asyncio.CancelledError:\n            cancelled = True\n",
        ] {
            assert!(findings(src, "PM1805", T).is_empty(), "{src}");
        }
    }
}
