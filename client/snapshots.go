package client

// The client side of the PyAMF ByteArray example: list the snapshots a
// gateway has (getSnapshots) and download them. It never prints; Say
// receives the progress.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/atomicfile"
)

// MaxDownload bounds one downloaded image; --max-download bounds them
// all.
const MaxDownload = 1 << 30

// snapshot is one listed image.
type Snapshot struct {
	Name   string
	URL    string
	File   string // where --download put it
	Status string // downloaded, skipped, refused, failed: ...
}

// SnapshotList is what getSnapshots returned.
type SnapshotList struct {
	BaseURL string
	Types   []string
	Items   []Snapshot
}

// ListSnapshots calls getSnapshots and reads its result.
func ListSnapshots(ctx context.Context, cl *Client, gatewayURL string) (*SnapshotList, error) {
	res, err := cl.Call(ctx, "getSnapshots", []any{})
	if err != nil {
		return nil, err
	}
	return ParseSnapshots(res, gatewayURL)
}

// ParseSnapshots reads the ByteArray example's getSnapshots result,
// [base_url, types, ArrayCollection (or array) of {name}], resolving
// base_url against the gateway URL.
func ParseSnapshots(res any, gatewayURL string) (*SnapshotList, error) {
	bad := func(why string) error {
		return &SnapshotsError{Err: fmt.Errorf("getSnapshots returned %s; the ByteArray example's gateway returns [base_url, types, [{name}, ...]]", why)}
	}
	top := listOf(res)
	if top == nil || len(top) < 3 {
		return nil, bad(describeValue(res))
	}
	base, ok := amf.Unwrap(top[0]).(string)
	if !ok {
		return nil, bad("a base URL that is " + describeValue(top[0]))
	}
	gu, err := url.Parse(gatewayURL)
	if err != nil {
		return nil, fmt.Errorf("invalid gateway URL %q: %v", RedactURL(gatewayURL), unwrapURLError(err))
	}
	bu, err := gu.Parse(base)
	if err != nil || (bu.Scheme != "http" && bu.Scheme != "https") {
		return nil, bad(fmt.Sprintf("a base URL %q that is not an http(s) URL", RedactURL(base)))
	}
	list := &SnapshotList{BaseURL: bu.String()}
	for _, t := range listOf(top[1]) {
		if s, ok := amf.Unwrap(t).(string); ok {
			list.Types = append(list.Types, s)
		}
	}
	items := listOf(top[2])
	if items == nil && amf.Unwrap(top[2]) != nil {
		return nil, bad("a snapshot list that is " + describeValue(top[2]))
	}
	for i, it := range items {
		name := ""
		switch x := amf.Unwrap(it).(type) {
		case string:
			name = x
		case *amf.Object:
			v, _ := x.Get("name")
			name, _ = amf.Unwrap(v).(string)
		case *amf.ECMAArray:
			for _, m := range x.Members {
				if m.Name == "name" {
					name, _ = amf.Unwrap(m.Value).(string)
				}
			}
		}
		if name == "" {
			return nil, bad(fmt.Sprintf("snapshot %d without a name (%s)", i, describeValue(it)))
		}
		// base_url + name, as the example's client joins them; the name
		// is escaped where a URL needs it.
		u := *bu
		u.Path, u.RawPath = bu.Path+name, ""
		list.Items = append(list.Items, Snapshot{Name: name, URL: u.String()})
	}
	return list, nil
}

// listOf returns the elements of an array-like value: a strict or AMF3
// array, an ArrayCollection or ArrayList, or nil.
func listOf(v any) []any {
	switch x := amf.Unwrap(v).(type) {
	case *amf.Array:
		return x.Dense
	case []any:
		return x
	case *amf.Object:
		if x.Class == amf.ClassArrayCollection || x.Class == amf.ClassArrayList {
			src, _ := x.Get("source")
			if l := listOf(src); l != nil {
				return l
			}
			return []any{}
		}
	}
	return nil
}

// describeValue names a value's kind for messages.
func describeValue(v any) string {
	switch x := amf.Unwrap(v).(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", shorten(x, 40))
	case bool, amf.Int, float64:
		return fmt.Sprintf("the value %v", x)
	case *amf.Array:
		return fmt.Sprintf("an array of %d", len(x.Dense))
	case *amf.Object:
		if x.Class != "" {
			return "an object of class " + x.Class
		}
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// SafeName reports whether a listed name can be a file in the download
// folder: one plain path element, not hidden, no control characters.
func SafeName(name string) bool {
	if name == "" || len(name) > 255 || name[0] == '.' || name != filepath.Base(name) || !filepath.IsLocal(name) {
		return false
	}
	if strings.ContainsAny(name, `/\:`) {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// Downloader fetches the listed snapshots into Dir over HTTP GET.
type Downloader struct {
	Dir     string
	Gateway string  // the gateway URL: Config.Header goes to its origin only, unless LocationTrusted
	Config  *Config // TLS, proxy, timeouts, headers
	Total   int64   // the most to download in all
	// Say receives progress, one message per snapshot; nil says nothing.
	Say func(format string, a ...any)
}

// DownloadError counts the snapshots that were not downloaded: names
// refused (they would escape Dir), downloads that failed, and those left
// out once Limit bytes were downloaded.
type DownloadError struct {
	Dir                      string
	Refused, Failed, Stopped int
	Of                       int
	Limit                    int64 // Downloader.Total
	Downloaded               int64 // the bytes downloaded
}

func (e *DownloadError) Error() string {
	switch {
	case e.Refused > 0:
		return fmt.Sprintf("refused %d of %d snapshot names (they would escape %s)", e.Refused, e.Of, e.Dir)
	case e.Failed > 0:
		return fmt.Sprintf("%d of %d downloads failed", e.Failed, e.Of)
	}
	return fmt.Sprintf("the download limit of %s was reached (%s downloaded): %d of %d snapshots not downloaded",
		byteCount(e.Limit), byteCount(e.Downloaded), e.Stopped, e.Of)
}

// byteCount writes n bytes in words: "1 byte", "400 bytes".
func byteCount(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// SnapshotsError is a getSnapshots result that is not the ByteArray
// example's.
type SnapshotsError struct{ Err error }

func (e *SnapshotsError) Error() string { return e.Err.Error() }
func (e *SnapshotsError) Unwrap() error { return e.Err }

// Run fetches each snapshot into Dir (created if missing), filling each
// item's File and Status: downloaded, skipped (a file of the same size is
// there), refused, failed: ..., or not downloaded (past Total). A
// download is written to a temporary file and renamed, synced first. It
// goes on after a failure and returns a *DownloadError when any was not
// downloaded; an unusable Dir is an *fs.PathError.
func (d *Downloader) Run(ctx context.Context, items []Snapshot) error {
	say := d.Say
	if say == nil {
		say = func(string, ...any) {}
	}
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(d.Dir)
	if err != nil {
		return err
	}
	defer root.Close()
	hc, err := NewHTTPClient(*d.Config)
	if err != nil {
		return err
	}
	gu, err := url.Parse(d.Gateway)
	if err != nil {
		return fmt.Errorf("invalid gateway URL %q: %v", RedactURL(d.Gateway), unwrapURLError(err))
	}
	proxy := d.Config.Proxy // as NewHTTPClient chose it
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	hc.Transport = headerTransport{rt: hc.Transport, cfg: d.Config, origin: gu}
	if d.Config.Timeout > 0 {
		hc.Timeout = d.Config.Timeout
	}
	left, got := d.Total, int64(0)
	refused, failed, stopped := 0, 0, 0
	for i := range items {
		it := &items[i]
		if !SafeName(it.Name) {
			it.Status = "refused"
			refused++
			say("refusing to download %q: not a plain file name, it could escape %s", it.Name, d.Dir)
			continue
		}
		if left <= 0 {
			it.Status = "not downloaded: the total limit was reached"
			stopped++
			continue
		}
		it.File = filepath.Join(d.Dir, it.Name)
		n, skipped, err := downloadOne(ctx, hc, proxy, root, it.Name, it.URL, min(left, MaxDownload))
		switch {
		case errors.Is(err, errOverLimit) && left < MaxDownload:
			it.File = ""
			it.Status = "not downloaded: the total limit was reached"
			stopped++
			left = 0
		case err != nil:
			it.Status = "failed: " + err.Error()
			failed++
			say("%s: %v", it.URL, err)
		case skipped:
			it.Status = "skipped"
			say("%s: skipped, %s has the same size (%d bytes)", it.Name, it.File, n)
		default:
			left -= n
			got += n
			it.Status = "downloaded"
			say("%s: downloaded %d bytes to %s", it.Name, n, it.File)
		}
	}
	if refused+failed+stopped > 0 {
		return &DownloadError{Dir: d.Dir, Refused: refused, Failed: failed, Stopped: stopped, Of: len(items),
			Limit: d.Total, Downloaded: got}
	}
	return nil
}

// headerTransport adds the configured User-Agent and Referer to every
// request, and the -H headers only to the gateway's own origin (or
// everywhere with --location-trusted): a base_url the gateway returns
// may point anywhere.
type headerTransport struct {
	rt     http.RoundTripper
	cfg    *Config
	origin *url.URL
}

func (t headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if t.cfg.UserAgent != "" {
		r.Header.Set("User-Agent", t.cfg.UserAgent)
	}
	if t.cfg.Referer != "" {
		r.Header.Set("Referer", t.cfg.Referer)
	}
	if !t.cfg.LocationTrusted && !SameOrigin(t.origin, r.URL) {
		return t.rt.RoundTrip(r)
	}
	for k, vs := range t.cfg.Header {
		if http.CanonicalHeaderKey(k) == "Host" || http.CanonicalHeaderKey(k) == "Content-Type" {
			continue
		}
		r.Header[http.CanonicalHeaderKey(k)] = vs
	}
	return t.rt.RoundTrip(r)
}

// errOverLimit is an image larger than what is left to download.
var errOverLimit = errors.New("too large")

// downloadOne GETs url into name under root, atomically. It skips the
// download when a file of the size the server announces is there. A
// request that fails on its way through a proxy (proxy's choice) names
// the proxy, as call does.
func downloadOne(ctx context.Context, hc *http.Client, proxy func(*http.Request) (*url.URL, error), root *os.Root, name, u string, limit int64) (int64, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, false, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, false, viaProxy(err, proxy, req)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, false, fmt.Errorf("HTTP %s", oneLine(resp.Status)) // the server's text: no escapes
	}
	if resp.ContentLength > limit {
		return 0, false, fmt.Errorf("%w: the image is %d bytes, more than the %d left to download", errOverLimit, resp.ContentLength, limit)
	}
	if st, err := root.Stat(name); err == nil {
		if !st.Mode().IsRegular() {
			return 0, false, fmt.Errorf("%s exists and is not a regular file", name)
		}
		if resp.ContentLength >= 0 && st.Size() == resp.ContentLength {
			return st.Size(), true, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, false, err
	}
	// The owner's only, as every file amfcall writes for its user: the
	// images came from a gateway that may hold private data.
	f, err := atomicfile.CreateIn(root, name, 0o600)
	if err != nil {
		return 0, false, err
	}
	defer f.Cleanup()
	n, err := io.Copy(f, io.LimitReader(resp.Body, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("%w: the image is more than the %d bytes left to download", errOverLimit, limit)
	}
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("got %d bytes of %d", n, resp.ContentLength)
	}
	if err == nil {
		err = f.CloseAtomicallyReplace()
	}
	if err != nil {
		return 0, false, err
	}
	return n, false, nil
}

// viaProxy names the proxy in err, the failure of req, when req went
// through one (a refused connection, a host not found, a connection
// dropped are then the proxy's, or past it), as throughProxy does for
// call: "connection refused: through the proxy P; is the proxy
// running? ...". Without a proxy err is returned as it is.
func viaProxy(err error, proxy func(*http.Request) (*url.URL, error), req *http.Request) error {
	if proxy == nil || errors.Is(err, context.Canceled) {
		return err
	}
	pu, perr := proxy(req)
	if perr != nil || pu == nil {
		return err
	}
	// The URL is said with the status already.
	he := &HTTPError{Kind: ErrConnection, Err: err}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		he.Kind = ErrDNS
	}
	return throughProxy(he, RedactURL(pu.String()))
}
