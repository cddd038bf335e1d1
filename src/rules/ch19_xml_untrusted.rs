//! PM1915: the standard library's XML parsers run on data from outside (§19.7.1): a request
//! body, a socket read, a network response, or an XML-RPC server, which parses what clients
//! send.

use super::conc_common::qualified;
use super::security_util::{callee_may_be, from_outside, scope_body};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct XmlUntrusted;

const CODE: &str = "PM1915";

/// Parsing functions whose first argument is the document (text, bytes, a file or a path).
const PARSERS: &[&str] = &[
    "xml.etree.ElementTree.parse",
    "xml.etree.ElementTree.fromstring",
    "xml.etree.ElementTree.fromstringlist",
    "xml.etree.ElementTree.XML",
    "xml.etree.ElementTree.iterparse",
    "xml.etree.cElementTree.parse",
    "xml.etree.cElementTree.fromstring",
    "xml.dom.minidom.parse",
    "xml.dom.minidom.parseString",
    "xml.dom.pulldom.parse",
    "xml.dom.pulldom.parseString",
    "xml.sax.parse",
    "xml.sax.parseString",
];

/// The last names of `PARSERS` and `XMLRPC_SERVERS`, a cheap filter.
const LAST_NAMES: &[&str] = &[
    "parse",
    "fromstring",
    "fromstringlist",
    "XML",
    "iterparse",
    "parseString",
    "SimpleXMLRPCServer",
    "DocXMLRPCServer",
];

/// Servers that parse every request body as XML.
const XMLRPC_SERVERS: &[&str] = &[
    "xmlrpc.server.SimpleXMLRPCServer",
    "xmlrpc.server.DocXMLRPCServer",
];

impl Rule for XmlUntrusted {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if !callee_may_be(&call.func, ctx, LAST_NAMES) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let resolve = |x: &Expr| qualified(&names, ctx.module, x);
        let Some(q) = resolve(&call.func) else { return };
        let q = q.as_str();
        if XMLRPC_SERVERS.contains(&q) {
            ctx.report(CODE, span(e), &[("call", q)], None);
            return;
        }
        if !PARSERS.contains(&q) {
            return;
        }
        let Some(doc) = call.args.first().or_else(|| {
            call.keywords
                .iter()
                .find(|k| {
                    matches!(
                        k.arg.as_deref(),
                        Some("source" | "text" | "string" | "file")
                    )
                })
                .map(|k| &k.value)
        }) else {
            return;
        };
        if from_outside(doc, scope_body(node, ctx), &resolve, 2) {
            ctx.report(CODE, span(e), &[("call", q)], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_stdlib_parsers_on_outside_data() {
        let src = "import xml.etree.ElementTree as ET\nfrom xml.dom import minidom\nfrom xmlrpc.server import SimpleXMLRPCServer\n\ndef upload(request):\n    tree = ET.fromstring(request.data)\n    doc = minidom.parseString(request.get_data())\n\nserver = SimpleXMLRPCServer(('localhost', 8000))\n";
        let found = findings(src, "PM1915", T);
        assert_eq!(
            flagged(src, &found),
            [
                "ET.fromstring(request.data)",
                "minidom.parseString(request.get_data())",
                "SimpleXMLRPCServer(('localhost', 8000))"
            ]
        );
        assert_eq!(
            found[0].message,
            "`xml.etree.ElementTree.fromstring` parses XML from outside: linked against an expat older than 2.4.1, a few kilobytes of nested entities can take all memory. Check `pyexpat.EXPAT_VERSION`, or parse with `defusedxml`, which refuses entity declarations"
        );
        assert_eq!(found[0].section, "19.7.1");
    }

    #[test]
    fn silent_on_local_files_and_other_parsers() {
        for src in [
            "import xml.etree.ElementTree as ET\ntree = ET.parse('config.xml')\n",
            "import xml.etree.ElementTree as ET\ndef f(path):\n    return ET.parse(path)\n",
            "import defusedxml.ElementTree as ET\ndef f(request):\n    return ET.fromstring(request.data)\n",
            "import json\ndef f(request):\n    return json.loads(request.data)\n",
            "import xml.etree.ElementTree as ET\ndef f(ET, request):\n    return ET.fromstring(request.data)\n",
        ] {
            assert!(findings(src, "PM1915", T).is_empty(), "{src}");
        }
    }
}
