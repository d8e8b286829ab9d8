"""The feedback page's Content-Security-Policy: what its browser may load and run.

Defense in depth behind `inert.py`: were a student's script ever to slip through the
sanitizer, the browser would still refuse it. The page runs one script of its own, MathJax, to
show the notebook's maths: from one pinned folder of cdnjs (as nbconvert's template does, so
the page is one file, sent as it is), configured by one inline script that the policy allows by
its hash. No other inline script, no `eval`, no inline event handler, no `javascript:` URL,
nothing from anywhere else; images only embedded. Styles are inline (the page's own and
MathJax's), which no student markup reaches: the sanitizer lets no `<style>` or `style=` through.

nbconvert configures MathJax 2 with a `text/x-mathjax-config` block, which MathJax runs with
`eval`, and it evaluates every such block on the page; a `window.MathJax` object set before
MathJax loads configures it the same way without either.
"""

import base64
import hashlib

MATHJAX_FOLDER = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/"
# MathJax.js of a pinned version: nbconvert's `latest.js` asks cdnjs's API for the newest 2.x
# and loads it from another folder, which the policy could then not name.
MATHJAX_URL = MATHJAX_FOLDER + "MathJax.js?config=TeX-AMS_CHTML-full,Safe"
# nbconvert's classic configuration, as an object; MathJax typesets the page when it starts.
MATHJAX_CONFIG = """
window.MathJax = {
  TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
  tex2jax: {
    inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]],
    displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
    processEscapes: true,
    processEnvironments: true
  },
  displayAlign: "center",
  messageStyle: "none",
  CommonHTML: {linebreaks: {automatic: true}}
};
"""
MATHJAX_CONFIG_HASH = base64.b64encode(hashlib.sha256(MATHJAX_CONFIG.encode()).digest()).decode()

POLICY = "; ".join(
    [
        "default-src 'none'",
        f"script-src {MATHJAX_FOLDER} 'sha256-{MATHJAX_CONFIG_HASH}'",
        f"style-src 'unsafe-inline' {MATHJAX_FOLDER}",
        f"font-src {MATHJAX_FOLDER}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
