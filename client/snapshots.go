package client

// The client side of the PyAMF ByteArray example: list the snapshots a
// gateway has (getSnapshots) and download them. It never prints; Say
// receives the progress.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/internal/textcut"
)

// MaxDownload bounds one downloaded image (1 GiB), whatever the total
// limit (Downloader.Total) allows.
const MaxDownload = 1 << 30

// ImageTypes are the file name extensions a snapshot may have: of those
// the gateway announces (getSnapshots' types; PyAMF's example announces
// jpg and png), the ones that are image types; all of them when it
// announces none.
var ImageTypes = []string{"jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "ico", "avif"}

// snapshot is one listed image.
type Snapshot struct {
	Name   string
	URL    string
	File   string // where --download put it
	Status string // downloaded, skipped: ..., refused: ..., failed: ..., not downloaded: ...
}

// SnapshotList is what getSnapshots returned.
type SnapshotList struct {
	BaseURL string
	Types   []string
	Items   []Snapshot
}

// MaxSnapshotList bounds the bytes of the names and URLs that a
// getSnapshots listing is read into (each URL is made of the base URL and
// a name): an AMF reply can name one object, of a long name, many times
// by reference, and each use made a URL of its own. 20,000 references to
// a name of 100 KB, a reply of 160 KB, took more than 2.4 GB before
// running out of memory. Each snapshot counts snapshotCost bytes more.
const MaxSnapshotList = 64 << 20

// snapshotCost is what each snapshot listed counts towards
// MaxSnapshotList besides its name and URL: what it takes in memory and
// in the listing printed (its status, its JSON). A 1 MB reply that listed
// one object of a short name 500,000 times by reference (2 bytes each)
// took 450 MB to list and download; its names and URLs were 21 MB, and
// 64 MiB of them would have been 1.6 million snapshots.
const snapshotCost = 512

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
	size := 0 // bytes of the names and URLs read
	tooLarge := func(i int) error {
		return &SnapshotsError{Err: fmt.Errorf("getSnapshots returned more than %d bytes of snapshot names and URLs (at snapshot %d of %d; each counts %d bytes more), the most amfcall reads; a reply can name one long name, or one snapshot, many times by reference", MaxSnapshotList, i+1, len(items), snapshotCost)}
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
		if size += snapshotCost + len(name) + len(list.BaseURL); size > MaxSnapshotList {
			return nil, tooLarge(i)
		}
		// base_url + name, as the example's client joins them; the name
		// is escaped where a URL needs it.
		u := *bu
		u.Path, u.RawPath = bu.Path+name, ""
		sn := Snapshot{Name: name, URL: u.String()}
		if size += len(sn.URL) - len(list.BaseURL); size > MaxSnapshotList {
			return nil, tooLarge(i)
		}
		list.Items = append(list.Items, sn)
	}
	return list, nil
}

// listOf returns the elements of an array-like value: a strict or AMF3
// array, an ArrayCollection or ArrayList, or nil.
func listOf(v any) []any {
	// A wrapper's source is read through at most maxWrapped wrappers: a
	// hostile reply's ArrayCollection whose source is itself (an AMF
	// reference) recursed until the stack overflowed, which ends the
	// process (fuzz: FuzzParseSnapshots).
	for range maxWrapped {
		switch x := amf.Unwrap(v).(type) {
		case *amf.Array:
			return x.Dense
		case []any:
			return x
		case *amf.Object:
			if x.Class != amf.ClassArrayCollection && x.Class != amf.ClassArrayList {
				return nil
			}
			src, _ := x.Get("source")
			switch y := amf.Unwrap(src).(type) {
			case *amf.Array, []any:
				v = src
				continue
			case *amf.Object:
				if y.Class == amf.ClassArrayCollection || y.Class == amf.ClassArrayList {
					v = src
					continue
				}
			}
			return []any{}
		default:
			return nil
		}
	}
	return []any{} // wrappers within wrappers, past any a gateway sends
}

// maxWrapped bounds the Flex list wrappers listOf reads through.
const maxWrapped = 8

// describeValue names a value's kind for messages.
func describeValue(v any) string {
	switch x := amf.Unwrap(v).(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", textcut.Cut(x, 40))
	case bool, amf.Int, float64:
		return fmt.Sprintf("the value %v", x)
	case *amf.Array:
		return fmt.Sprintf("an array of %d", len(x.Dense))
	case *amf.Object:
		if x.Class != "" {
			// The gateway's text: a newline in it started a line of
			// its making on stderr.
			return "an object of class \"" + safetext.Escape(x.Class, 100) + "\""
		}
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
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

// ImageName reports why a listed name cannot be a file of the download
// folder, or "" when it can: one plain path element (SafeName) of
// letters, digits, spaces and "-_.,+()@~" that does not start with "-"
// or a space, ending in one of types (see AllowedTypes).
func ImageName(name string, types []string) string {
	if !SafeName(name) {
		return "not a plain file name, it could escape the folder"
	}
	if name[0] == '-' || name[0] == ' ' || name[len(name)-1] == ' ' {
		return "a name that starts with - or a space, or ends with a space"
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -_.,+()@~", r) {
			return fmt.Sprintf("the name holds %q; a snapshot is named with letters, digits, spaces and -_.,+()@~", r)
		}
	}
	dot := strings.LastIndexByte(name, '.')
	if dot > 0 {
		ext := strings.ToLower(name[dot+1:])
		for _, t := range types {
			if ext == t {
				return ""
			}
		}
	}
	if len(types) == 0 {
		return "the gateway announces no image type that amfcall downloads (" + strings.Join(ImageTypes, ", ") + ")"
	}
	return "not a file of the image types downloaded (" + strings.Join(types, ", ") + ")"
}

// AllowedTypes returns the extensions a snapshot name may end with, of
// announced, getSnapshots' list of types: those that are ImageTypes
// (lower case, in any case there), or ImageTypes when it lists none.
func AllowedTypes(announced []string) []string {
	if len(announced) == 0 {
		return ImageTypes
	}
	var out []string
	for _, a := range announced {
		a = strings.ToLower(strings.TrimPrefix(a, "."))
		if slices.Contains(ImageTypes, a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Downloader fetches the listed snapshots into Dir over HTTP GET. It
// never replaces a file: a name that is already in Dir is skipped.
type Downloader struct {
	Dir     string
	Types   []string // the types getSnapshots announced (SnapshotList.Types)
	Gateway string   // the gateway URL: Config.Header goes to its origin only, unless LocationTrusted
	Config  *Config  // TLS, proxy, timeouts, headers
	Total   int64    // the most to download in all
	// Say receives progress, one message per snapshot; nil says nothing.
	Say func(format string, a ...any)
	// Warn receives what was not done and why (a name refused, a file
	// kept); nil sends it to Say.
	Warn func(format string, a ...any)
}

// DownloadError counts the snapshots that were not downloaded: names
// refused (not plain image file names), downloads that failed, and those
// left out once the Limit was reached.
type DownloadError struct {
	Dir                      string
	Refused, Failed, Stopped int
	// WriteFailed counts the failures of those that could not be
	// written into Dir (a full disk, an I/O error), not fetched.
	WriteFailed int
	Of          int
	Limit       int64 // Downloader.Total
	Downloaded  int64 // the bytes downloaded
	// StoppedAt is the image that reached the Limit, which declared
	// Declared bytes (-1: it passed the limit while being read); "" when
	// the limit was reached exactly.
	StoppedAt string
	Declared  int64
}

func (e *DownloadError) Error() string {
	switch {
	case e.Refused > 0:
		return fmt.Sprintf("refused %d of %d snapshot names (not plain image file names in %s)", e.Refused, e.Of, e.Dir)
	case e.Failed > 0:
		return fmt.Sprintf("%d of %d downloads failed", e.Failed, e.Of)
	}
	left := e.Limit - e.Downloaded
	var what string
	switch {
	case e.StoppedAt != "" && e.Declared >= 0:
		what = fmt.Sprintf("%s declares %s, more than the %s left of the download limit of %s", e.StoppedAt, byteCount(e.Declared), byteCount(left), byteCount(e.Limit))
	case e.StoppedAt != "":
		what = fmt.Sprintf("%s passed the %s left of the download limit of %s while being read (dropped)", e.StoppedAt, byteCount(left), byteCount(e.Limit))
	default:
		what = fmt.Sprintf("the download limit of %s was reached", byteCount(e.Limit))
	}
	if e.Downloaded > 0 {
		what += fmt.Sprintf(" (%s downloaded before)", byteCount(e.Downloaded))
	}
	return fmt.Sprintf("%s: %d of %d snapshots not downloaded", what, e.Stopped, e.Of)
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
// item's File and Status: downloaded, skipped: ... (a file of that name
// is there: amfcall never replaces one; or the name was listed before),
// refused: ... (not a plain image file name, ImageName), failed: ..., or
// not downloaded (past Total). A download is written to a temporary file
// of Dir, synced, and linked to its name only if that name is still
// free. It goes on after a failure and returns a *DownloadError when any
// was refused, failed or left out; an unusable Dir is an *fs.PathError.
func (d *Downloader) Run(ctx context.Context, items []Snapshot) error {
	say := d.Say
	if say == nil {
		say = func(string, ...any) {}
	}
	warn := d.Warn
	if warn == nil {
		warn = say
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
	types := AllowedTypes(d.Types)
	left, got := d.Total, int64(0)
	refused, failed, stopped, again, writeFailed := 0, 0, 0, 0, 0
	var stoppedAt string
	declared := int64(-1)
	seen := map[string]bool{}
	for i := range items {
		it := &items[i]
		if why := ImageName(it.Name, types); why != "" {
			it.Status = "refused: " + why
			if refused++; refused <= maxToldEach {
				warn("refusing to download %q: %s", it.Name, why)
			}
			continue
		}
		if seen[it.Name] {
			it.Status = "skipped: listed before"
			if again++; again <= maxToldEach {
				say("%s: skipped, listed before", it.Name)
			}
			continue
		}
		seen[it.Name] = true
		if left <= 0 {
			it.Status = "not downloaded: the total limit was reached"
			stopped++
			continue
		}
		file := filepath.Join(d.Dir, it.Name)
		if _, err := root.Lstat(it.Name); err == nil {
			it.Status = "skipped: " + file + " exists"
			warn("%s: not downloaded: %s exists, and amfcall never replaces a file; remove it, or download into another folder", it.Name, file)
			continue
		}
		limit := min(left, MaxDownload)
		n, err := downloadOne(ctx, hc, proxy, root, it.Name, it.URL, limit)
		var ol *overLimitError
		switch {
		case errors.As(err, &ol) && limit < MaxDownload:
			it.Status = "not downloaded: the total limit was reached"
			stopped++
			stoppedAt, declared = it.Name, ol.declared
			left = 0
		case errors.As(err, &ol):
			if ol.declared >= 0 {
				err = fmt.Errorf("%s declares %s, larger than the 1 GiB (%d bytes) a single image may be", it.Name, byteCount(ol.declared), int64(MaxDownload))
			} else {
				err = fmt.Errorf("%s is larger than the 1 GiB (%d bytes) a single image may be (dropped)", it.Name, int64(MaxDownload))
			}
			fallthrough
		case err != nil && !errors.Is(err, errExists):
			if pe := (*fs.PathError)(nil); errors.As(err, &pe) && !errors.Is(err, fs.ErrNotExist) {
				// A write into Dir that failed (a full disk): named
				// by the image's file, not the hidden temporary one,
				// which is removed.
				err = fmt.Errorf("writing %s: %w; nothing of it is left", file, pe.Err)
				writeFailed++
			}
			it.Status = "failed: " + err.Error()
			failed++
			say("%s: %v", RedactURL(it.URL), err) // a relative base_url took the gateway URL's user and password
		case err != nil: // the name was taken while the image downloaded
			it.Status = "skipped: " + file + " exists"
			warn("%s: not downloaded: %s appeared while it downloaded, and amfcall never replaces a file; remove it, or download into another folder", it.Name, file)
		default:
			left -= n
			got += n
			it.File = file
			it.Status = "downloaded"
			say("%s: downloaded %d bytes to %s", it.Name, n, file)
		}
	}
	if refused > maxToldEach {
		warn("and %d more snapshot names refused (the listing gives each one's reason)", refused-maxToldEach)
	}
	if again > maxToldEach {
		say("and %d more snapshots skipped, their names listed before", again-maxToldEach)
	}
	if refused+failed+stopped > 0 {
		return &DownloadError{Dir: d.Dir, Refused: refused, Failed: failed, WriteFailed: writeFailed, Stopped: stopped, Of: len(items),
			Limit: d.Total, Downloaded: got, StoppedAt: stoppedAt, Declared: declared}
	}
	return nil
}

// maxToldEach bounds the lines Run gives of refused names and of names
// listed again, the rest counted in one line: a getSnapshots reply of
// 1 MB can list one object 500,000 times by reference (2 bytes each),
// which printed 500,000 lines.
const maxToldEach = 10

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

// overLimitError is an image larger than the limit of downloadOne: it
// declared that many bytes (-1: it passed the limit while being read).
type overLimitError struct{ declared, limit int64 }

func (e *overLimitError) Error() string {
	if e.declared >= 0 {
		return fmt.Sprintf("too large: the image declares %s, more than %s", byteCount(e.declared), byteCount(e.limit))
	}
	return fmt.Sprintf("too large: the image is more than %s", byteCount(e.limit))
}

// errExists is a name taken in the download folder.
var errExists = errors.New("the file exists")

// downloadOne GETs url into name under root: into a temporary file
// (hidden: listed names never start with a dot), synced, then linked to
// name, which fails if name exists (errExists), so that no file is
// replaced, even one created meanwhile. A request that fails on its way
// through a proxy (proxy's choice) names the proxy, as call does.
func downloadOne(ctx context.Context, hc *http.Client, proxy func(*http.Request) (*url.URL, error), root *os.Root, name, u string, limit int64) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, viaProxy(safeCertError(err), proxy, req)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %s", oneLine(resp.Status)) // the server's text: no escapes
	}
	if resp.ContentLength > limit {
		return 0, &overLimitError{declared: resp.ContentLength, limit: limit}
	}
	// The owner's only, as every file amfcall creates for its user: the
	// images came from a gateway that may hold private data.
	tmp, f, err := createTemp(root)
	if err != nil {
		return 0, err
	}
	defer func() {
		if f != nil {
			f.Close()
		}
		root.Remove(tmp)
	}()
	// The first bytes tell a page from an image (notAnImage); they are
	// read once the temporary file is there, as the rest is.
	head := make([]byte, 512)
	hn, herr := io.ReadFull(resp.Body, head)
	head = head[:hn]
	if herr != nil && herr != io.EOF && herr != io.ErrUnexpectedEOF {
		return 0, herr
	}
	if why := notAnImage(resp.Header.Get("Content-Type"), head); why != "" {
		return 0, errors.New(why)
	}
	if hn == 0 {
		// A 200 with no body (a PHP script that died with its errors
		// not shown) was saved as an image of 0 bytes, "downloaded".
		return 0, errors.New("not an image: the server sent an empty reply (0 bytes); nothing saved")
	}
	n, err := io.Copy(f, io.LimitReader(io.MultiReader(bytes.NewReader(head), resp.Body), limit+1))
	if err == nil && n > limit {
		err = &overLimitError{declared: -1, limit: limit}
	}
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("got %d bytes of %d", n, resp.ContentLength)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	f = nil
	if err != nil {
		return 0, err
	}
	if err := root.Link(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return 0, errExists
		}
		// No hard links here (some network and FAT file systems): the
		// name is checked, then taken by a rename.
		if _, serr := root.Lstat(name); serr == nil {
			return 0, errExists
		}
		if err := root.Rename(tmp, name); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// notAnImage reports why a snapshot's reply is not saved, or "" when it
// is: a web page (an error or login page sent with 200) instead of the
// image, which was saved under the image's name. Image servers often
// send a wrong or no Content-Type, so a reply is refused only when its
// first bytes are not an image's (as net/http sniffs them) and it is a
// page either by its Content-Type (HTML, XML, JSON) or by its first
// bytes (HTML, XML). Plain text, and bytes of a type the sniffer does
// not know (TIFF, AVIF), are saved as before.
// head is the start of the body (up to 512 bytes).
func notAnImage(ct string, head []byte) string {
	if len(head) == 0 {
		return ""
	}
	sniffed := http.DetectContentType(head)
	if strings.HasPrefix(sniffed, "image/") {
		return ""
	}
	mt, _, _ := mime.ParseMediaType(ct)
	mt = strings.ToLower(mt)
	page := strings.HasPrefix(sniffed, "text/html") || strings.HasPrefix(sniffed, "text/xml")
	switch mt {
	case "text/html", "application/xhtml+xml", "text/xml", "application/xml", "application/json":
		page = true
	}
	if !page {
		return ""
	}
	what := oneLine(ct)
	if what == "" {
		what = "no Content-Type"
	}
	return fmt.Sprintf("not an image: the server sent %s, starting %s (an error or login page?); nothing saved", what, snippet(head, 60))
}

// createTemp creates a new hidden file in root, readable by its owner
// only.
func createTemp(root *os.Root) (string, *os.File, error) {
	for {
		name := fmt.Sprintf(".amfcall-download-%d.part", rand.Uint32())
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, f, err
	}
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
