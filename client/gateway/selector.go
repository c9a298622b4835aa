package gateway

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// A message selector (DSSelector) as BlazeDS evaluates one: a JMS
// message selector, the SQL-92 subset of javax.jms.Message, over the
// message's headers. Identifiers name headers (case-sensitive); a header
// the message does not have, or whose value is not a string, number or
// boolean, is NULL, and NULL makes SQL's third truth value, unknown: a
// message is delivered only when its selector is true.
//
//	comparisons   = <> < > <= >=  (strings and booleans: = and <> only)
//	arithmetic    + - * /, unary + -
//	logic         AND OR NOT, parentheses
//	literals      'string' ('' for a quote), 12, 1.5, 2E3, TRUE, FALSE
//	h [NOT] LIKE 'pattern' [ESCAPE 'c']    % any run, _ one character
//	h [NOT] IN ('a', 'b', ...)
//	e [NOT] BETWEEN e1 AND e2
//	h IS [NOT] NULL
//
// Keywords are case-insensitive. Bounds for what a client sends: a
// selector of at most maxSelectorLen bytes, nesting (parentheses, NOT,
// unary signs) at most maxSelectorDepth deep; LIKE is matched without
// a regexp, in time bounded by the product of the two lengths.
const (
	maxSelectorLen   = 4096
	maxSelectorDepth = 64
)

// selectorError says where a selector does not parse: pos is the
// character (from 1) where the fault is.
type selectorError struct {
	pos int
	msg string
}

func (e *selectorError) Error() string {
	return e.msg + " at position " + strconv.Itoa(e.pos)
}

type selTok struct {
	kind byte // 'i' identifier, 's' string, 'n' number, 'k' keyword, 'o' operator, 0 end
	text string
	num  float64
	pos  int // character position, from 1
}

var selKeywords = map[string]bool{"AND": true, "OR": true, "NOT": true, "LIKE": true, "ESCAPE": true,
	"IN": true, "BETWEEN": true, "IS": true, "NULL": true, "TRUE": true, "FALSE": true}

func selLex(s string) ([]selTok, error) {
	var out []selTok
	pos := 1 // characters, for the error
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		start := pos
		switch {
		case unicode.IsSpace(r):
			i += n
			pos++
			continue
		case r == '\'':
			var b strings.Builder
			j := i + 1
			pos++
			closed := false
			for j < len(s) {
				c, m := utf8.DecodeRuneInString(s[j:])
				j += m
				pos++
				if c == '\'' {
					if j < len(s) && s[j] == '\'' {
						b.WriteByte('\'')
						j++
						pos++
						continue
					}
					closed = true
					break
				}
				b.WriteRune(c)
			}
			if !closed {
				return nil, &selectorError{start, "the string literal is not closed (a ' is missing)"}
			}
			out = append(out, selTok{kind: 's', text: b.String(), pos: start})
			i = j
			continue
		case r >= '0' && r <= '9' || r == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && s[k] >= '0' && s[k] <= '9' {
					for k < len(s) && s[k] >= '0' && s[k] <= '9' {
						k++
					}
					j = k
				}
			}
			// A Java long's L, a float's F or D suffix.
			text := s[i:j]
			if j < len(s) && strings.IndexByte("lLfFdD", s[j]) >= 0 {
				j++
			}
			f, err := strconv.ParseFloat(text, 64)
			if err != nil || math.IsInf(f, 0) {
				return nil, &selectorError{start, "the number " + strconv.Quote(s[i:j]) + " is not valid"}
			}
			out = append(out, selTok{kind: 'n', num: f, text: s[i:j], pos: start})
			pos += j - i
			i = j
			continue
		case r == '_' || r == '$' || unicode.IsLetter(r):
			j := i
			for j < len(s) {
				c, m := utf8.DecodeRuneInString(s[j:])
				if c != '_' && c != '$' && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
					break
				}
				j += m
				pos++
			}
			w := s[i:j]
			if up := strings.ToUpper(w); selKeywords[up] {
				out = append(out, selTok{kind: 'k', text: up, pos: start})
			} else {
				out = append(out, selTok{kind: 'i', text: w, pos: start})
			}
			i = j
			continue
		}
		op := ""
		for _, o := range []string{"<>", "<=", ">=", "=", "<", ">", "(", ")", ",", "+", "-", "*", "/"} {
			if strings.HasPrefix(s[i:], o) {
				op = o
				break
			}
		}
		if op == "" {
			return nil, &selectorError{start, "unexpected character " + strconv.QuoteRune(r)}
		}
		out = append(out, selTok{kind: 'o', text: op, pos: start})
		i += len(op)
		pos += len(op)
	}
	return append(out, selTok{pos: pos}), nil
}

// selNode is a parsed selector expression.
type selNode struct {
	op   string // "lit", "id", "and", "or", "not", "cmp", "arith", "neg", "like", "in", "between", "null"
	sub  string // the comparison or arithmetic operator
	not  bool   // NOT LIKE, NOT IN, NOT BETWEEN, IS NOT NULL
	val  any    // lit: nil, bool, float64, string
	name string // id
	kids []*selNode
	// like: the pattern and its escape (-1: none); in: the list
	pat    []rune
	escape rune
	list   []any
}

type selParser struct {
	toks  []selTok
	i     int
	depth int
}

// parseSelector parses a selector, or says where it does not.
func parseSelector(s string) (*selNode, error) {
	if len(s) > maxSelectorLen {
		return nil, &selectorError{maxSelectorLen + 1, "the selector is longer than this gateway reads (" + strconv.Itoa(maxSelectorLen) + " bytes)"}
	}
	toks, err := selLex(s)
	if err != nil {
		return nil, err
	}
	p := &selParser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != 0 {
		return nil, p.fail(t, "unexpected "+t.describe())
	}
	return n, nil
}

func (t selTok) describe() string {
	switch t.kind {
	case 0:
		return "end of the selector"
	case 's':
		return "string " + strconv.Quote(t.text)
	case 'n':
		return "number " + t.text
	case 'i':
		return "identifier " + t.text
	}
	return strconv.Quote(t.text)
}

func (p *selParser) peek() selTok { return p.toks[p.i] }
func (p *selParser) next() selTok {
	t := p.toks[p.i]
	if t.kind != 0 {
		p.i++
	}
	return t
}
func (p *selParser) is(kind byte, text string) bool {
	t := p.peek()
	return t.kind == kind && t.text == text
}
func (p *selParser) fail(t selTok, msg string) error { return &selectorError{t.pos, msg} }

func (p *selParser) enter() error {
	p.depth++
	if p.depth > maxSelectorDepth {
		return p.fail(p.toks[p.i-1], "the selector nests deeper than "+strconv.Itoa(maxSelectorDepth))
	}
	return nil
}

func (p *selParser) or() (*selNode, error) {
	l, err := p.and()
	for err == nil && p.is('k', "OR") {
		p.next()
		var r *selNode
		if r, err = p.and(); err == nil {
			l = &selNode{op: "or", kids: []*selNode{l, r}}
		}
	}
	return l, err
}

func (p *selParser) and() (*selNode, error) {
	l, err := p.not()
	for err == nil && p.is('k', "AND") {
		p.next()
		var r *selNode
		if r, err = p.not(); err == nil {
			l = &selNode{op: "and", kids: []*selNode{l, r}}
		}
	}
	return l, err
}

func (p *selParser) not() (*selNode, error) {
	if !p.is('k', "NOT") {
		return p.predicate()
	}
	p.next()
	if err := p.enter(); err != nil {
		return nil, err
	}
	n, err := p.not()
	p.depth--
	if err != nil {
		return nil, err
	}
	return &selNode{op: "not", kids: []*selNode{n}}, nil
}

func (p *selParser) predicate() (*selNode, error) {
	l, err := p.sum()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == 'o' {
		switch t.text {
		case "=", "<>", "<", ">", "<=", ">=":
			p.next()
			r, err := p.sum()
			if err != nil {
				return nil, err
			}
			return &selNode{op: "cmp", sub: t.text, kids: []*selNode{l, r}}, nil
		}
		return l, nil
	}
	if t.kind != 'k' {
		return l, nil
	}
	not := false
	if t.text == "NOT" {
		p.next()
		not = true
		t = p.peek()
		if t.kind != 'k' || t.text != "LIKE" && t.text != "IN" && t.text != "BETWEEN" {
			return nil, p.fail(t, "NOT here must be followed by LIKE, IN or BETWEEN, not "+t.describe())
		}
	}
	switch t.text {
	case "IS":
		p.next()
		n := &selNode{op: "null", kids: []*selNode{l}}
		if p.is('k', "NOT") {
			p.next()
			n.not = true
		}
		if !p.is('k', "NULL") {
			return nil, p.fail(p.peek(), "IS must be followed by NULL or NOT NULL, not "+p.peek().describe())
		}
		p.next()
		if l.op != "id" {
			return nil, p.fail(t, "IS NULL needs an identifier before it")
		}
		return n, nil
	case "LIKE":
		p.next()
		if l.op != "id" {
			return nil, p.fail(t, "LIKE needs an identifier before it")
		}
		pt := p.next()
		if pt.kind != 's' {
			return nil, p.fail(pt, "LIKE must be followed by a string pattern, not "+pt.describe())
		}
		n := &selNode{op: "like", not: not, kids: []*selNode{l}, pat: []rune(pt.text), escape: -1}
		if p.is('k', "ESCAPE") {
			p.next()
			et := p.next()
			if et.kind != 's' || utf8.RuneCountInString(et.text) != 1 {
				return nil, p.fail(et, "ESCAPE must be followed by a string of one character, not "+et.describe())
			}
			n.escape, _ = utf8.DecodeRuneInString(et.text)
			for i := 0; i < len(n.pat); i++ {
				if n.pat[i] == n.escape {
					if i+1 >= len(n.pat) {
						return nil, p.fail(pt, "the LIKE pattern ends with its escape character")
					}
					i++
				}
			}
		}
		return n, nil
	case "IN":
		p.next()
		if l.op != "id" {
			return nil, p.fail(t, "IN needs an identifier before it")
		}
		if !p.is('o', "(") {
			return nil, p.fail(p.peek(), "IN must be followed by a list in parentheses, not "+p.peek().describe())
		}
		p.next()
		n := &selNode{op: "in", not: not, kids: []*selNode{l}}
		for {
			v := p.next()
			switch v.kind {
			case 's':
				n.list = append(n.list, v.text)
			case 'n':
				n.list = append(n.list, v.num)
			default:
				return nil, p.fail(v, "IN's list holds string or number literals, not "+v.describe())
			}
			sep := p.next()
			if sep.kind == 'o' && sep.text == ")" {
				return n, nil
			}
			if sep.kind != 'o' || sep.text != "," {
				return nil, p.fail(sep, "expected , or ) in IN's list, not "+sep.describe())
			}
		}
	case "BETWEEN":
		p.next()
		lo, err := p.sum()
		if err != nil {
			return nil, err
		}
		if !p.is('k', "AND") {
			return nil, p.fail(p.peek(), "BETWEEN's bounds must be joined by AND, not "+p.peek().describe())
		}
		p.next()
		hi, err := p.sum()
		if err != nil {
			return nil, err
		}
		return &selNode{op: "between", not: not, kids: []*selNode{l, lo, hi}}, nil
	}
	return l, nil
}

func (p *selParser) sum() (*selNode, error) {
	l, err := p.product()
	for err == nil && (p.is('o', "+") || p.is('o', "-")) {
		op := p.next().text
		var r *selNode
		if r, err = p.product(); err == nil {
			l = &selNode{op: "arith", sub: op, kids: []*selNode{l, r}}
		}
	}
	return l, err
}

func (p *selParser) product() (*selNode, error) {
	l, err := p.unary()
	for err == nil && (p.is('o', "*") || p.is('o', "/")) {
		op := p.next().text
		var r *selNode
		if r, err = p.unary(); err == nil {
			l = &selNode{op: "arith", sub: op, kids: []*selNode{l, r}}
		}
	}
	return l, err
}

func (p *selParser) unary() (*selNode, error) {
	if p.is('o', "-") || p.is('o', "+") {
		op := p.next().text
		if err := p.enter(); err != nil {
			return nil, err
		}
		n, err := p.unary()
		p.depth--
		if err != nil {
			return nil, err
		}
		if op == "+" {
			return n, nil
		}
		return &selNode{op: "neg", kids: []*selNode{n}}, nil
	}
	return p.primary()
}

func (p *selParser) primary() (*selNode, error) {
	t := p.next()
	switch t.kind {
	case 's':
		return &selNode{op: "lit", val: t.text}, nil
	case 'n':
		return &selNode{op: "lit", val: t.num}, nil
	case 'i':
		return &selNode{op: "id", name: t.text}, nil
	case 'k':
		switch t.text {
		case "TRUE":
			return &selNode{op: "lit", val: true}, nil
		case "FALSE":
			return &selNode{op: "lit", val: false}, nil
		case "NULL":
			return &selNode{op: "lit", val: nil}, nil
		}
	case 'o':
		if t.text == "(" {
			if err := p.enter(); err != nil {
				return nil, err
			}
			n, err := p.or()
			p.depth--
			if err != nil {
				return nil, err
			}
			if c := p.next(); c.kind != 'o' || c.text != ")" {
				return nil, p.fail(c, "expected ), not "+c.describe())
			}
			return n, nil
		}
	}
	return nil, p.fail(t, "expected an identifier, a literal or (, not "+t.describe())
}

// SQL's three truth values: a boolean, or nil for unknown.

// selectorMatches evaluates n over the headers of a message: true only
// when the selector is true (false and unknown are not delivered).
// ok is false when the evaluation took more than selectorBudget steps
// (LIKE over a long header): the message is not delivered then.
func selectorMatches(n *selNode, headers []amf.Member) (match, ok bool) {
	return n.matches(selectorHeaders(headers))
}

// matches is selectorMatches over headers indexed by selectorHeaders,
// which a publish does once for all its subscriptions.
func (n *selNode) matches(h selHeaders) (match, ok bool) {
	e := &selEval{h: h, budget: selectorBudget}
	v := n.eval(e)
	b, _ := v.(bool)
	return b && e.budget >= 0, e.budget >= 0
}

// selectorBudget bounds the work of one selector over one message (a
// step: a node, a character a LIKE looks at), for up to
// maxSubscriptions subscriptions per publish (evaluated outside the
// queues' lock).
const selectorBudget = 1 << 20

type selEval struct {
	h      selHeaders
	budget int
}

// selHeaders is a message's headers by name, as the selector sees
// them: an identifier is looked up in constant time. Before, each
// identifier went through the header list: a message of 60,000 headers
// against 256 subscriptions of 500 identifiers each took 7.9 s per
// publish (one step each for the budget), holding the queues' lock
// (sec17).
type selHeaders map[string]any

// selectorHeaders indexes headers by name; the first of a name counts.
func selectorHeaders(headers []amf.Member) selHeaders {
	h := make(selHeaders, len(headers))
	for _, m := range headers {
		if _, dup := h[m.Name]; !dup {
			h[m.Name] = headerValue(m.Value)
		}
	}
	return h
}

// headerValue is a header's value as the selector sees it: a string,
// float64 or bool, or nil (NULL).
func headerValue(v any) any {
	switch v := amf.Unwrap(v).(type) {
	case string:
		return v
	case bool:
		return v
	case float64:
		return v
	case amf.Int:
		return float64(v)
	case int:
		return float64(v)
	case int32:
		return float64(v)
	case int64:
		return float64(v)
	}
	return nil
}

func (n *selNode) eval(e *selEval) any {
	e.budget--
	if e.budget < 0 {
		return nil
	}
	h := e.h
	switch n.op {
	case "lit":
		return n.val
	case "id":
		return h[n.name]
	case "and":
		l, r := truth(n.kids[0].eval(e)), truth(n.kids[1].eval(e))
		if l == false || r == false {
			return false
		}
		if l == nil || r == nil {
			return nil
		}
		return true
	case "or":
		l, r := truth(n.kids[0].eval(e)), truth(n.kids[1].eval(e))
		if l == true || r == true {
			return true
		}
		if l == nil || r == nil {
			return nil
		}
		return false
	case "not":
		if b, ok := truth(n.kids[0].eval(e)).(bool); ok {
			return !b
		}
		return nil
	case "neg":
		if f, ok := n.kids[0].eval(e).(float64); ok {
			return -f
		}
		return nil
	case "arith":
		l, lok := n.kids[0].eval(e).(float64)
		r, rok := n.kids[1].eval(e).(float64)
		if !lok || !rok {
			return nil
		}
		switch n.sub {
		case "+":
			return l + r
		case "-":
			return l - r
		case "*":
			return l * r
		}
		if r == 0 {
			return nil
		}
		return l / r
	case "cmp":
		return compare(n.sub, n.kids[0].eval(e), n.kids[1].eval(e))
	case "between":
		v := n.kids[0].eval(e)
		r := truth3and(compare(">=", v, n.kids[1].eval(e)), compare("<=", v, n.kids[2].eval(e)))
		return notIf(n.not, r)
	case "null":
		isNull := n.kids[0].eval(e) == nil
		return isNull != n.not
	case "like":
		s, ok := n.kids[0].eval(e).(string)
		if !ok {
			return nil
		}
		if e.budget -= len(s); e.budget < 0 {
			return nil
		}
		m, ok := like([]rune(s), n.pat, n.escape, &e.budget)
		if !ok {
			return nil
		}
		return m != n.not
	case "in":
		v := n.kids[0].eval(e)
		if v == nil {
			return nil
		}
		for _, x := range n.list {
			if x == v {
				return !n.not
			}
		}
		return n.not
	}
	return nil
}

// truth is a value as a truth value: a bool, or nil (unknown) for NULL
// and for what is not a boolean.
func truth(v any) any {
	if b, ok := v.(bool); ok {
		return b
	}
	return nil
}

func truth3and(l, r any) any {
	if l == false || r == false {
		return false
	}
	if l == nil || r == nil {
		return nil
	}
	return true
}

func notIf(not bool, v any) any {
	if b, ok := v.(bool); ok && not {
		return !b
	}
	return v
}

// compare is a comparison's truth value: unknown when either side is
// NULL or the two are of different types (JMS: false there; unknown
// says the same for delivery, and NOT of it stays undelivered as SQL
// has it), strings and booleans only for = and <>.
func compare(op string, l, r any) any {
	if l == nil || r == nil {
		return nil
	}
	switch a := l.(type) {
	case float64:
		b, ok := r.(float64)
		if !ok {
			return nil
		}
		switch op {
		case "=":
			return a == b
		case "<>":
			return a != b
		case "<":
			return a < b
		case ">":
			return a > b
		case "<=":
			return a <= b
		case ">=":
			return a >= b
		}
	case string, bool:
		if (op != "=" && op != "<>") || !sameKind(l, r) {
			return nil
		}
		return (l == r) == (op == "=")
	}
	return nil
}

func sameKind(l, r any) bool {
	switch l.(type) {
	case string:
		_, ok := r.(string)
		return ok
	case bool:
		_, ok := r.(bool)
		return ok
	}
	return false
}

// like matches s against a LIKE pattern (% any run, _ one character,
// esc before either for itself) without backtracking beyond the last %:
// time O(len(s) * len(pat)) at worst.
// Each step takes one from *budget; ok is false when it runs out.
func like(s, pat []rune, esc rune, budget *int) (match, ok bool) {
	// Each pattern item: a rune to match, any one (_), or a run (%).
	const anyOne, anyRun = -2, -3
	items := make([]rune, 0, len(pat))
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case c == esc && i+1 < len(pat):
			i++
			items = append(items, pat[i])
		case c == '%':
			if len(items) == 0 || items[len(items)-1] != anyRun {
				items = append(items, anyRun)
			}
		case c == '_':
			items = append(items, anyOne)
		default:
			items = append(items, c)
		}
	}
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		if *budget--; *budget < 0 {
			return false, false
		}
		switch {
		case pi < len(items) && items[pi] == anyRun:
			star, mark = pi, si
			pi++
		case pi < len(items) && (items[pi] == anyOne || items[pi] == s[si]):
			si++
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false, true
		}
	}
	for pi < len(items) && items[pi] == anyRun {
		pi++
	}
	return pi == len(items), true
}
