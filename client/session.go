package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/textpos"
	"github.com/tidwall/gjson"
)

// recordingJar is a cookie jar that also keeps every cookie it accepted
// with its attributes, which net/http/cookiejar does not give back, so
// that a session can be saved and restored.
//
// Its cookies go back only to the origin (scheme, host and port) that
// set them, as the -H headers and the credentials do on a redirect, not
// wherever RFC 6265 lets them (any port of the host, and sibling hosts
// for a Domain cookie): a gateway that redirects to another port would
// otherwise hand its session cookie to whatever listens there. With
// Config.LocationTrusted (shared) they go where RFC 6265 says.
type recordingJar struct {
	shared bool
	// all holds every cookie as RFC 6265 would send it; byOrigin the
	// same, apart by the origin that set them.
	all      *cookiejar.Jar
	mu       sync.Mutex
	byOrigin map[string]*cookiejar.Jar
	// saved holds each cookie kept, by what identifies it (RFC 6265
	// 5.3: name, domain or host, path), with seq for the order in which
	// they were set; seq counts up.
	saved map[cookieKey]seqCookie
	seq   int
	// dropped counts the new cookies refused past MaxCookies since the
	// client last asked (takeDropped).
	dropped int
	first   string // the name of the first of them
}

// MaxCookies bounds the cookies a client keeps (and a session file
// holds): RFC 6265 6.1 asks for at least 3,000 in all, and net/http
// reads at most 3,000 from one reply. A new cookie past it is refused,
// one already kept is still replaced or removed. A gateway that set
// 2,900 new cookies on each reply had them each compared with every
// cookie kept (a URL parsed for each): a --session file of 5,800 took
// about 10 s to load, and each reply added more, for ever.
const MaxCookies = 3000

// cookieKey identifies a cookie (RFC 6265 5.3 step 11): a host-only
// cookie by its host, a domain cookie by its domain.
type cookieKey struct {
	name, path, host string
	hostOnly         bool
}

type seqCookie struct {
	savedCookie
	seq int
}

type savedCookie struct {
	URL      string    `json:"url"` // where it came from: scheme://host/path
	Name     string    `json:"name"`
	Value    string    `json:"value"`
	Domain   string    `json:"domain,omitempty"` // empty: host-only
	Path     string    `json:"path,omitempty"`
	Expires  time.Time `json:"expires,omitzero"` // zero: a session cookie
	Secure   bool      `json:"secure,omitempty"`
	HTTPOnly bool      `json:"httpOnly,omitempty"`
}

func newRecordingJar(shared bool) *recordingJar {
	j, _ := cookiejar.New(nil) // never fails without options
	return &recordingJar{shared: shared, all: j, byOrigin: map[string]*cookiejar.Jar{}, saved: map[cookieKey]seqCookie{}}
}

// Cookies are those the origin of u set (all that RFC 6265 gives u, when
// shared).
func (j *recordingJar) Cookies(u *url.URL) []*http.Cookie {
	if j.shared {
		return j.all.Cookies(u)
	}
	j.mu.Lock()
	o := j.byOrigin[origin(u)]
	j.mu.Unlock()
	if o == nil {
		return nil
	}
	return o.Cookies(u)
}

// withheld reports whether RFC 6265 would send u cookies that Cookies
// does not give it: cookies of another origin.
func (j *recordingJar) withheld(u *url.URL) bool {
	return !j.shared && len(j.all.Cookies(u)) > len(j.Cookies(u))
}

func (j *recordingJar) SetCookies(u *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now()
	kept := cs[:0:0]
	for _, c := range cs {
		if c.Name == "" {
			kept = append(kept, c) // the jars ignore it too
			continue
		}
		sc := savedCookie{
			URL:      u.Scheme + "://" + u.Host + "/",
			Name:     c.Name,
			Value:    c.Value,
			Domain:   strings.TrimPrefix(strings.ToLower(c.Domain), "."),
			Path:     c.Path,
			Expires:  c.Expires,
			Secure:   c.Secure,
			HTTPOnly: c.HttpOnly,
		}
		if sc.Path == "" || sc.Path[0] != '/' {
			sc.Path = defaultPath(u.Path)
		}
		host := sc.Domain
		if host == "" {
			host = strings.ToLower(u.Hostname())
		}
		gone := c.MaxAge < 0 || (!c.Expires.IsZero() && !c.Expires.After(now))
		if c.MaxAge > 0 {
			sc.Expires = now.Add(time.Duration(c.MaxAge) * time.Second).UTC().Truncate(time.Second)
		}
		k := cookieKey{name: sc.Name, path: sc.Path, host: host, hostOnly: sc.Domain == ""}
		_, known := j.saved[k]
		switch {
		case gone:
			delete(j.saved, k)
		case !known && len(j.saved) >= MaxCookies:
			if j.dropped++; j.dropped == 1 {
				j.first = c.Name
			}
			continue // nor given to the jars
		default:
			j.seq++
			j.saved[k] = seqCookie{sc, j.seq}
		}
		kept = append(kept, c)
	}
	if len(kept) == 0 {
		return
	}
	j.all.SetCookies(u, kept)
	o := j.byOrigin[origin(u)]
	if o == nil {
		o, _ = cookiejar.New(nil)
		j.byOrigin[origin(u)] = o
	}
	o.SetCookies(u, kept)
}

// takeDropped returns the count of new cookies refused past MaxCookies
// since it was last called, and the name of the first.
func (j *recordingJar) takeDropped() (int, string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	n, first := j.dropped, j.first
	j.dropped, j.first = 0, ""
	return n, first
}

// defaultPath is RFC 6265's default-path of a request path.
func defaultPath(p string) string {
	if p == "" || p[0] != '/' {
		return "/"
	}
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return path.Clean(p[:i])
}

func (j *recordingJar) snapshot() []savedCookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now()
	all := make([]seqCookie, 0, len(j.saved))
	for _, c := range j.saved {
		if c.Expires.IsZero() || c.Expires.After(now) {
			all = append(all, c)
		}
	}
	slices.SortFunc(all, func(a, b seqCookie) int { return a.seq - b.seq })
	out := make([]savedCookie, len(all))
	for i, c := range all {
		out[i] = c.savedCookie
	}
	return out
}

// restore puts a session file's cookies in the jar, but for those
// expired and those over MaxCookieSize (a file written before that
// bound, or edited, can hold cookies of megabytes, which every request
// would then send): it returns how many of those it left out and the
// name of the first.
func (j *recordingJar) restore(cs []savedCookie) (large int, first string) {
	now := time.Now()
	for _, sc := range cs {
		if !sc.Expires.IsZero() && !sc.Expires.After(now) {
			continue
		}
		if len(sc.Name)+len(sc.Value) > MaxCookieSize {
			if large++; large == 1 {
				first = sc.Name
			}
			continue
		}
		u, err := url.Parse(sc.URL)
		if err != nil || u.Host == "" {
			continue
		}
		j.SetCookies(u, []*http.Cookie{{
			Name: sc.Name, Value: sc.Value, Domain: sc.Domain, Path: sc.Path,
			Expires: sc.Expires, Secure: sc.Secure, HttpOnly: sc.HTTPOnly,
		}})
	}
	return large, first
}

// sessionVersion is the version of the session file format.
const sessionVersion = 1

type sessionFile struct {
	Version int `json:"version"`
	// Gateway is the URL the session was made with; the URL rewrite and
	// the headers below apply only when the client uses the same one.
	Gateway string `json:"gateway"`
	URL     string `json:"url,omitempty"`    // the gateway's ReplaceGatewayUrl
	Append  string `json:"append,omitempty"` // the gateway's AppendToGatewayUrl
	DSId    string `json:"dsid,omitempty"`   // the Flex client id
	// Endpoint is the DSEndpoint the DSId was used with.
	Endpoint string          `json:"endpoint,omitempty"`
	Headers  []sessionHeader `json:"headers"`
	Cookies  []savedCookie   `json:"cookies"`

	// FlexUser is the user of the Flex login, which the gateway keeps
	// with the DSId (and the cookies); no password is saved.
	FlexUser string `json:"flexUser,omitempty"`
}

type sessionHeader struct {
	Name           string          `json:"name"`
	MustUnderstand bool            `json:"mustUnderstand"`
	Value          json.RawMessage `json:"value"` // typed JSON (json-mapping.md)
}

// maxSavedHeader bounds the typed JSON of a gateway's header saved in a
// session. A gateway chooses the value, and typed JSON writes a string
// sent by reference at each use: a header of 1 MB (a string of a
// megabyte and 20,000 references) is 20 GB of it, and one of 57 KB made
// a session file of 330 MB, read and sent again at every call.
const maxSavedHeader = 1 << 20

// SaveSession returns the client's session as JSON: its cookies, the
// headers the gateway asked it to send (RequestPersistentHeader) and the
// gateway URL rewrites. Header values are in the typed JSON form. Headers
// set with SetHeader are not saved.
func (c *Client) SaveSession() ([]byte, error) {
	c.mu.Lock()
	if o := c.otherSession; o != nil {
		// The file belongs to another gateway: keep its state for that
		// one, and only add the cookies (the jar scopes them by domain).
		sf := *o
		c.mu.Unlock()
		sf.Cookies = c.jar.snapshot()
		return json.MarshalIndent(&sf, "", "  ")
	}
	sf := sessionFile{Version: sessionVersion, Gateway: c.original, Append: c.appended, Headers: []sessionHeader{}}
	if c.base != c.original {
		sf.URL = c.base
	}
	if c.dsid != "nil" {
		sf.DSId = c.dsid
		sf.FlexUser = c.flexUser
		sf.Endpoint = c.flexEndpointLocked()
	}
	server := append([]amf.Header(nil), c.server...)
	c.mu.Unlock()
	for _, h := range server {
		v, err := convert.AppendValue(nil, h.Value, &convert.Options{Typed: true, MaxOutput: maxSavedHeader})
		var ol *convert.OutputLimitError
		if errors.As(err, &ol) {
			c.warnf("the gateway's header \"%s\" is not saved in the session: its typed JSON is over %d bytes (strings sent by reference are written out at each use)", safetext.Escape(h.Name, 100), maxSavedHeader)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("saving the header %q in the session: %w", h.Name, err)
		}
		sf.Headers = append(sf.Headers, sessionHeader{Name: h.Name, MustUnderstand: h.MustUnderstand, Value: v})
	}
	sf.Cookies = c.jar.snapshot()
	return json.MarshalIndent(&sf, "", "  ")
}

// SessionError is a session file that cannot be read. Line and Column
// (from 1; the column counts bytes) say where in the file, when the
// JSON itself is at fault (0 otherwise).
type SessionError struct {
	Line, Column int
	Err          error
	// Other says what the file is when it is no session file at all
	// (a curl cookie jar, other JSON, text): deleting it, as the
	// message says of a damaged session, would lose the user's file.
	Other string
	// CookieJar: the file is a Netscape cookie file (curl -c's).
	CookieJar bool
}

func (e *SessionError) Error() string {
	if e.Other != "" {
		return "the file is not a session file amfcall wrote: it is " + e.Other
	}
	where := ""
	if e.Line > 0 {
		where = fmt.Sprintf(" at line %d, column %d", e.Line, e.Column)
	}
	return "the session file is not valid: " + e.Err.Error() + where + "; delete it to start a new session"
}

// notASession says what data is when it cannot be a session file, not
// even a damaged one: one amfcall wrote is a JSON object whose first
// member is "version". "" when it may be one.
func notASession(data []byte) (what string, jar bool) {
	t := bytes.TrimSpace(data)
	first, _, _ := bytes.Cut(t, []byte("\n"))
	switch {
	case bytes.HasPrefix(first, []byte("# Netscape HTTP Cookie File")) || bytes.HasPrefix(first, []byte("# HTTP Cookie File")) ||
		bytes.Count(first, []byte("\t")) == 6 || bytes.HasPrefix(first, []byte("#HttpOnly_")):
		return "a Netscape cookie file (as curl -c writes one)", true
	case len(t) > 0 && t[0] != '{':
		return "not a JSON object", false
	}
	if len(t) > 0 && gjson.ValidBytes(t) && !gjson.GetBytes(t, "version").Exists() {
		return "a JSON object with no \"version\" member", false
	}
	return "", false
}

// sessionJSONError is err from decoding data, located in data when
// encoding/json says where: its offsets count the bytes read when it
// failed, so the byte before is the one at fault (for a value of the
// wrong type, its last byte).
func sessionJSONError(err error, data []byte) *SessionError {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset - 1
	case errors.As(err, &typ):
		off = typ.Offset - 1
	}
	e := &SessionError{Err: err}
	if typ != nil && typ.Field != "" && typ.Type != nil {
		// encoding/json's words name Go's types: "cannot unmarshal
		// number into Go struct field sessionHeader.headers.name of
		// type string".
		e.Err = fmt.Errorf("%q is %s, where %s is wanted", typ.Field, jsonKindOf(typ.Value), goKindAsJSON(typ.Type))
	}
	if off >= 0 && off <= int64(len(data)) {
		e.Line, e.Column = textpos.LineCol(data, off)
	}
	return e
}

func (e *SessionError) Unwrap() error { return e.Err }

// badExpires is the SessionError of a cookie whose "expires" time.Time
// refused (err, from decoding data), with its line and column: its
// UnmarshalJSON's error reaches encoding/json's caller with no offset
// ("Time.UnmarshalJSON: input is not a JSON string", "parsing time
// "tomorrow" as ..."), which then said neither which cookie nor where.
// nil when err is another error or no cookie's "expires" is at fault.
func badExpires(data []byte, err error) *SessionError {
	if errors.As(err, new(*json.SyntaxError)) || errors.As(err, new(*json.UnmarshalTypeError)) {
		return nil
	}
	var found *SessionError
	gjson.GetBytes(data, "cookies").ForEach(func(i, c gjson.Result) bool {
		exp := c.Get("expires")
		if !exp.Exists() || exp.Type == gjson.Null {
			return true
		}
		var t time.Time
		if t.UnmarshalJSON([]byte(exp.Raw)) == nil {
			return true
		}
		what := "not one"
		switch exp.Type {
		case gjson.String:
			what = strconv.Quote(safetext.Escape(clipName(exp.Str), 60))
		case gjson.True, gjson.False:
			what = "true or false"
		case gjson.Number:
			what = "a number"
		case gjson.JSON:
			what = "an array"
			if strings.HasPrefix(exp.Raw, "{") {
				what = "an object"
			}
		}
		found = &SessionError{Err: fmt.Errorf("cookie %d (%q): its \"expires\" is %s, where a date string (RFC 3339, e.g. \"2030-01-02T15:04:05Z\") is wanted",
			i.Int()+1, clipName(c.Get("name").String()), what)}
		if exp.Index > 0 && exp.Index <= len(data) {
			found.Line, found.Column = textpos.LineCol(data, int64(exp.Index))
		}
		return false
	})
	return found
}

// jsonKindOf is encoding/json's word for a JSON value ("number",
// "string", "object", "array", "bool") with its article.
func jsonKindOf(v string) string {
	switch {
	case v == "array" || v == "object":
		return "an " + v
	case v == "bool":
		return "true or false"
	case strings.HasPrefix(v, "number"):
		return "a number"
	}
	return "a " + v
}

// goKindAsJSON is the JSON a Go type of the session file reads.
func goKindAsJSON(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct:
		if t == reflect.TypeOf(time.Time{}) {
			return "a date string (RFC 3339)"
		}
		return "an object"
	case reflect.Map:
		return "an object"
	}
	return "another JSON value"
}

// LoadSession restores a session saved by SaveSession: its cookies always
// (the jar scopes them by domain), and its gateway URL rewrite, headers
// and Flex client id only when the session was made with the same gateway
// URL as this client's (a notice says so otherwise, and SaveSession then
// writes that gateway's state back as it was, with the cookies added). Headers set with SetHeader before
// or after stay, but a saved header of the same name wins.
func (c *Client) LoadSession(data []byte) error {
	if what, jar := notASession(data); what != "" {
		return &SessionError{Err: errors.New(what), Other: what, CookieJar: jar}
	}
	var sf sessionFile
	if err := json.Unmarshal(data, &sf); err != nil {
		if e := badExpires(data, err); e != nil {
			return e
		}
		return sessionJSONError(err, data)
	}
	if sf.Version != sessionVersion {
		return &SessionError{Err: fmt.Errorf("unknown version %d (want %d)", sf.Version, sessionVersion)}
	}
	c.mu.Lock()
	c.loaded = bytes.Clone(data)
	c.mu.Unlock()
	var hs []amf.Header
	// Keys given twice in the values, warned of when the headers are used.
	var dups convert.DupKeys
	var warns []string
	var encErr error // the first header value AMF cannot write
	at := headerValuesAt(data, sf.Headers)
	for i, h := range sf.Headers {
		if h.Name == "" {
			return &SessionError{Err: fmt.Errorf("header %d has no name", i)}
		}
		if len(h.Name) > 0xFFFF && encErr == nil {
			// The packet's encoder would name only "/headers/N/name",
			// with no file (a file edited by hand).
			e := &SessionError{}
			comma := "" // before " at line L, column C", as a value's error has it
			if off := headerNameAt(data, i, h.Name); off > 0 {
				e.Line, e.Column = textpos.LineCol(data, int64(off))
				comma = ","
			}
			e.Err = fmt.Errorf("header %d: its name %q is %d bytes, more than the 65535 AMF can write%s", i, clipName(h.Name), len(h.Name), comma)
			encErr = e
		}
		var v any
		var err error
		if at[i] > 0 {
			v, err = dups.FromJSON(data, at[i], at[i]+len(h.Value))
		} else {
			v, err = convert.FromJSONWarn(h.Value, func(msg string) {
				warns = append(warns, fmt.Sprintf("the value of the session file's header %q: %s", h.Name, msg))
			})
		}
		if err != nil {
			return &SessionError{Err: fmt.Errorf("header %q: %w", clipName(h.Name), err)}
		}
		if encErr == nil {
			if err := c.headerEncodes(v, data, at[i], h.Value); err != nil {
				encErr = &SessionError{Err: fmt.Errorf("header %q: %w", clipName(h.Name), err)}
			}
		}
		hs = append(hs, amf.Header{Name: h.Name, MustUnderstand: h.MustUnderstand, Value: v})
	}
	if sf.URL != "" {
		if err := checkURL(sf.URL); err != nil {
			return &SessionError{Err: err}
		}
	}
	if n, first := c.jar.restore(sf.Cookies); n > 0 {
		c.warnf("the session file holds %d cookies over %d bytes (name and value), the first \"%s\": they are left out", n, MaxCookieSize, safetext.Escape(first, 80))
	}
	if n, _ := c.jar.takeDropped(); n > 0 {
		c.warnf("the session file holds %d cookies, more than the %d kept: %d are left out", len(sf.Cookies), MaxCookies, n)
	}
	c.mu.Lock()
	same := sameGateway(sf.Gateway, c.original)
	if same && encErr != nil {
		// It would be sent with every request, and fail to encode there
		// naming only its path in the packet.
		c.mu.Unlock()
		return encErr
	}
	// A rewrite to another origin is never made (offOrigin): one in the
	// file was written by hand, or by an older amfcall.
	var offURL string
	dropped := 0
	if same && sf.URL != "" && c.offOrigin(sf.URL) != "" {
		offURL, sf.URL, sf.Append = sf.URL, "", ""
	}
	if same && sf.Append != "" && c.offOrigin(c.base+sf.Append) != "" {
		offURL, sf.Append = c.base+sf.Append, ""
	}
	if same {
		if sf.URL != "" {
			c.base = sf.URL
		}
		c.appended = sf.Append
		if sf.DSId != "" && !flexID(sf.DSId) {
			// Saved by an amfcall from before flexID, or edited: it
			// would be sent back with every Flex message as it is.
			c.warnf("the session file's DSId \"%s\" is not used (%s): a Flex call asks the gateway for a new one", safetext.Escape(sf.DSId, 80), notFlexID)
			sf.DSId = ""
		}
		if sf.DSId != "" {
			c.dsid = sf.DSId
			c.flexUser = sf.FlexUser
			c.sessionEndpoint = sf.Endpoint
		}
		for _, h := range hs {
			if !hasHeader(c.server, h.Name) && len(c.server) >= MaxServerHeaders {
				dropped++ // a file from an older amfcall, or edited
				continue
			}
			c.server = setHeader(c.server, h)
		}
	}
	other := !same && (sf.URL != "" || sf.Append != "" || len(hs) > 0 || sf.DSId != "")
	if other {
		keep := sf
		keep.Cookies = nil
		c.otherSession = &keep
	}
	c.mu.Unlock()
	if offURL != "" {
		c.warnf("the session's gateway URL rewrite %s is on another host (or scheme) than %s: not used; the URL given is kept", redact(offURL), redact(c.original))
	}
	if msg := dups.Warning(data); msg != "" {
		warns = append([]string{"the session file: " + msg}, warns...)
	}
	if same {
		for _, msg := range warns {
			c.warnf("%s", msg)
		}
	}
	if dropped > 0 {
		c.warnf("the session file holds %d headers to send with every request, more than the %d kept: %d are left out", len(hs), MaxServerHeaders, dropped)
	}
	if other {
		c.warnf("the session was made with the gateway %s; its URL rewrite, AMF headers and Flex login are not used for %s, and the session file keeps them for that gateway (only cookies are added)", redact(sf.Gateway), redact(c.original))
	}
	return nil
}

// headerEncodes checks that a header value v of the session file data
// (at offset at, 0 when unknown: then in its text alone, value) is one the
// client can write in its packets (through the AMF3 switch in AMF3 and
// Flex ones, as BuildPacket writes it). One that is not (a member name
// over 65535 bytes, an empty dynamic one in AMF3; a file edited by hand)
// is the encoder's error with its line and column.
func (c *Client) headerEncodes(v any, data []byte, at int, value []byte) error {
	if c.cfg.AMF3 || c.cfg.Flex {
		v = toAMF3(v)
	}
	err := amf.NewEncoder(io.Discard, amf.AMF0).Encode(v)
	var ee *amf.EncodeError
	if !errors.As(err, &ee) {
		return err
	}
	if at > 0 {
		return convert.EncodeErrorAt(ee, data, at, ee.Segs)
	}
	return convert.EncodeErrorAt(ee, value, 0, ee.Segs)
}

// headerValuesAt returns the offset in the session file data of each
// header's value, or 0 where it cannot tell: the file is read again with
// gjson, which takes the first of a key given twice where encoding/json
// takes the last, so an offset counts only when the bytes there are the
// value encoding/json read.
func headerValuesAt(data []byte, hs []sessionHeader) []int {
	at := make([]int, len(hs))
	i := 0
	gjson.GetBytes(data, "headers").ForEach(func(_, h gjson.Result) bool {
		if i == len(hs) {
			return false
		}
		v := h.Get("value")
		if off := v.Index; off > 0 && off+len(hs[i].Value) <= len(data) && bytes.Equal(data[off:off+len(hs[i].Value)], hs[i].Value) {
			at[i] = off
		}
		i++
		return true
	})
	return at
}

// headerNameAt returns the offset in the session file data of the i-th
// header's name (its opening quote), or 0 where it cannot tell: as
// headerValuesAt, it counts only when the string there is the name
// encoding/json read.
func headerNameAt(data []byte, i int, name string) int {
	n := gjson.GetBytes(data, "headers."+strconv.Itoa(i)+".name")
	if n.Index > 0 && n.Type == gjson.String && n.Str == name {
		return n.Index
	}
	return 0
}

// clipName is a header name for a message: its first 40 bytes and "...",
// when longer (a name over 65535 bytes, in a file edited by hand).
func clipName(name string) string {
	if len(name) > 40 {
		return name[:40] + "..."
	}
	return name
}

// sameGateway reports whether the gateway URLs a and b name one gateway:
// equal, or equal once the scheme and host are in lower case, the
// scheme's default port is dropped and an empty path is "/" (RFC 3986
// 6.2.3). "http://127.0.0.1:8000" and "http://127.0.0.1:8000/" were two
// gateways to a session, whose login and headers were then left unused
// (with a warning) for the URL written the other way.
func sameGateway(a, b string) bool {
	if a == b {
		return true
	}
	norm := func(s string) (string, bool) {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return "", false
		}
		scheme := strings.ToLower(u.Scheme)
		host, port := strings.ToLower(u.Hostname()), u.Port()
		if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
			port = ""
		}
		if port != "" {
			host = net.JoinHostPort(host, port)
		} else if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		user := ""
		if u.User != nil {
			user = u.User.String() + "@"
		}
		return scheme + "://" + user + host + p + "?" + u.RawQuery, true
	}
	na, okA := norm(a)
	nb, okB := norm(b)
	return okA && okB && na == nb
}
