// Package gateway is a small AMF remoting gateway, written with this
// module's codec, for trying the client with nothing else installed.
//
// It answers the methods of PyAMF's ByteArray example (getSnapshots and
// ByteArray.saveSnapshot, with the saved images served at GET
// /images/NAME), an echo service (echo.echo, echo.fail) and a secure
// service (secure.whoami, secure.echo) that needs the AMF Credentials
// header when [Options.User] is set. It speaks plain remoting (AMF0 and
// AMF3 packets) and Flex RemoteObject (target "null" carrying a
// RemotingMessage or a CommandMessage), and replies as PyAMF's WSGI
// gateway does: same fault objects, same result shapes. Any name is also a
// Flex messaging destination: AsyncMessages published to it are queued,
// bounded, for its subscribers' polls (see messaging.go).
//
// A [Gateway] is an http.Handler. POST to any path other than /images/
// is a remoting call; a request body that does not decode gets an HTTP
// 400 with the reason as text, never a crash.
//
// # Who may call
//
// A gateway on loopback is still within reach of every web page its
// user opens: a page may make the browser POST to it without asking it
// first (a CORS "simple" request, typed text/plain, as a form, or not at
// all), and may reach it through a DNS name it points at 127.0.0.1. So a
// remoting POST needs Content-Type application/x-amf (else a 415), and a
// request whose Host names a host other than localhost, an IP address or
// one of Options.AllowHosts gets a 403. Flash, Flex, PyAMF and amfcall's
// clients send that type and such a host.
//
// # Limits
//
// Every request, whatever its handler, passes the same limits first:
//
//   - Memory: requests in flight share a budget (Options.MaxMemory,
//     256 MiB by default). A request is charged its declared body (a
//     body of unknown length as it arrives), and a remoting call twice
//     its body more while it is decoded and answered. A request that
//     finds no room waits up to 5 seconds ([MemoryWait]), then gets a
//     503 with Retry-After naming the budget. A body read whole (any
//     request but a saveSnapshot whose image is streamed) that the
//     whole budget cannot hold three times over gets a 413 naming the
//     budget ([Gateway.MaxWholeBody]); an echo.echo call alone in its
//     packet, answered with its own bytes (echo.go), is seen as such from
//     its first bytes and charged 1.25 times its body and 4 MiB
//     ([Gateway.MaxEchoBody]), and an AMF0 argument the table of its
//     objects (16 bytes each, up to 16 MiB). The reply is charged as it is
//     built: each call's answer is encoded as it comes (its values let
//     go) and charged for its bytes (see reply.go). A call whose answer
//     the budget has no room for is a fault (Server.ResourceLimit), and
//     so is every call after it in the packet, not run; the calls before
//     it are answered as usual.
//   - Slow clients: each read of a body must complete within
//     Options.BodyTimeout (10 s), and after that first span the body
//     must keep up with Options.MinBodyRate (1 KiB/s) on average; the
//     whole body must come within Options.MaxBodyTime (10 minutes),
//     however steadily. A client that falls behind gets a 408 and loses
//     its connection. Each write of a
//     reply must complete within Options.WriteTimeout (30 s). Headers
//     must arrive within 10 s.
//   - Connections: at most Options.MaxConns (1024) are open; one more
//     is answered 503 once its request head is read (so that the
//     client, still sending, is not reset before it reads the answer),
//     and closed. While three quarters of them are taken, a keep-alive
//     connection is closed as soon as it falls idle.
//
// A request body may hold Options.MaxUpload bytes (64 MiB by default)
// plus 1 MiB; a larger one, or a saveSnapshot image over MaxUpload, gets
// an HTTP 413 naming the limit. Requests are decoded with bounded depth
// (128), elements and references (2^20 each). A saveSnapshot call whose
// image is larger than 256 KiB is streamed from the connection to a
// file, so memory stays flat whatever the image's size; other requests
// are read whole. getSnapshots lists at most 10,000 images, and image
// names are checked ([ValidName]) and opened through an [os.Root], so
// that no request reaches outside the images folder.
//
// Every string a client chose (paths, targets, fault texts) is logged
// with its control and format characters escaped, so the log cannot
// carry terminal escapes.
//
// # Reference numbering
//
// Flash Player counts the arguments array of a request as AMF0 reference
// 0; PyAMF's client does not. The gateway reads Flash's way, except for
// requests whose User-Agent starts with "PyAMF/" and whose arguments hold
// references, which it reads PyAMF's way.
package gateway

import (
	"bufio"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/ratelog"
	"github.com/amfcall/amfcall/client/internal/valuecost"
	"github.com/amfcall/amfcall/internal/textcut"
)

// DefaultMaxUpload is the default bound of one saved image: 64 MiB.
const DefaultMaxUpload = 64 << 20

// DefaultMaxStored is the default bound of the images folder: 1 GiB.
const DefaultMaxStored = 1 << 30

// MaxByteArray is the largest ByteArray AMF3 can carry (2^28-1 bytes).
const MaxByteArray = amf.MaxInt

// requestOverhead is what a request body may hold besides one image: the
// packet framing, headers and other arguments.
const requestOverhead = 1 << 20

// Options configure a [Gateway]. Only ImagesDir is required.
type Options struct {
	// ImagesDir is the folder that holds saved snapshots. It is created
	// (with its parents) if missing.
	ImagesDir string
	// MaxUpload bounds one saved image in bytes. Default DefaultMaxUpload
	// (64 MiB), range [1, MaxByteArray]. A request body may be up to
	// 1 MiB larger (packet framing and other arguments).
	MaxUpload int64
	// MaxStored bounds the bytes of the images the folder holds (those
	// there when the gateway starts, and those it saves): a saveSnapshot
	// that would pass it gets the fault Snapshot.StorageFull. Default
	// DefaultMaxStored (1 GiB); negative means no limit. The folder
	// holds at most maxListed images whatever this says (getSnapshots
	// lists no more).
	MaxStored int64
	// User and Password, when User is not empty, protect the secure
	// service: a call needs a Credentials header (or a Flex login, or a
	// DSRemoteCredentials message header) with this user and password.
	User, Password string
	// BaseURL is the images URL prefix returned by getSnapshots and
	// saveSnapshot, ending in a slash. Default: "http://" (or https) +
	// the request's Host + "/images/".
	BaseURL string
	// Log receives one line per call (and per image or refused request).
	// Nil discards.
	Log io.Writer
	// Verbose also logs each request and reply packet as typed JSON.
	Verbose bool
	// Now is the clock for logs and Flex timestamps. Default time.Now.
	Now func() time.Time

	// MaxMemory is the budget, in bytes, of the request bodies in
	// flight (and the decoded values and replies they make). Default
	// DefaultMaxMemory (256 MiB), at least 1 MiB.
	MaxMemory int64
	// BodyTimeout is the longest a request body may stall, and the
	// grace before MinBodyRate applies. Default DefaultBodyTimeout (10s).
	BodyTimeout time.Duration
	// MinBodyRate is the least average rate, in bytes per second, a
	// request body must arrive at after BodyTimeout. Default
	// DefaultMinBodyRate (1024); negative means no minimum.
	MinBodyRate int64
	// MaxBodyTime is the longest a whole request body may take to
	// arrive, counted from the end of its request head, however
	// steadily it comes. Default DefaultMaxBodyTime (10 minutes);
	// negative means no limit.
	MaxBodyTime time.Duration
	// WriteTimeout is the longest one write of a reply may take (a
	// client that stops reading). Default DefaultWriteTimeout (30s).
	WriteTimeout time.Duration
	// MaxConns bounds the connections open at once (Serve only).
	// Default DefaultMaxConns (1024).
	MaxConns int
	// AllowHosts are the host names, besides "localhost" and IP
	// addresses, that a request's Host header may name (its port
	// aside); a request naming another host is refused with a 403, so
	// that a web page cannot reach a gateway on loopback through a DNS
	// name it rebinds to 127.0.0.1. Compared without case and a final
	// dot.
	AllowHosts []string
}

// Gateway is the remoting gateway. It is safe for concurrent use.
type Gateway struct {
	opt Options
	dec *amf.DecMode
	// pyamfDec reads requests with PyAMF's reference numbering, in
	// which the argument array takes no slot (see compat.go).
	pyamfDec *amf.DecMode
	images   *os.Root
	store    imageStore // what the images folder holds
	// costReaders keeps the token Readers that count the values of
	// small requests (valueCost), which would allocate one each.
	costReaders sync.Pool

	logMu sync.Mutex

	sessMu   sync.Mutex
	sessions map[string]session // Flex DSId -> user logged in with a CommandMessage; "cookie:"+token -> user logged in with login()
	sessSeq  uint64             // the seq of the last session begun

	topics topics // Flex messaging subscriptions and their queues

	idle time.Duration // how long a request body may stall
	lim  *limits

	batch     atomic.Pointer[lineBatch] // log lines gathered while Serve runs
	acceptLog ratelog.Limiter           // net/http's failed Accepts (logWriter)

	// inflight counts the requests being answered; stopping is set once
	// Serve begins to shut down, which waits up to shutdownWait for them.
	inflight     atomic.Int64
	stopping     atomic.Bool
	shutdownWait time.Duration

	// parts are the names of the partial files being written (parts.go);
	// folderLock holds the images folder's lock while the gateway runs.
	partsMu    sync.Mutex
	parts      map[string]*os.File
	folderLock *os.File
}

// ShutdownError is what Serve returns when requests were still under
// way when its wait for them ran out: they were cut off.
type ShutdownError struct {
	Requests int // still under way (a count taken as the wait ran out)
	Wait     time.Duration
}

func (e *ShutdownError) Error() string {
	return fmt.Sprintf("gateway: %s still under way after %v cut off as the gateway stopped", requestCount(int64(e.Requests)), e.Wait)
}

// requestCount is "1 request" or "N requests".
func requestCount(n int64) string {
	if n == 1 {
		return "1 request"
	}
	return fmt.Sprintf("%d requests", n)
}

// maxSessions bounds the login table (Flex and login()).
const maxSessions = 4096

// session is a login: its user, and when it began (a count).
type session struct {
	user string
	seq  uint64
}

// addSessionLocked records key's login by user (g.sessMu held). A full
// table forgets the session begun longest ago, so that a flood of logins
// (serve without --user takes any) ends old sessions rather than refusing
// every new one.
func (g *Gateway) addSessionLocked(key, user string) {
	if g.sessions == nil {
		g.sessions = map[string]session{}
	}
	if _, ok := g.sessions[key]; !ok && len(g.sessions) >= maxSessions {
		oldest, first := "", uint64(0)
		for k, s := range g.sessions {
			if oldest == "" || s.seq < first {
				oldest, first = k, s.seq
			}
		}
		delete(g.sessions, oldest)
	}
	g.sessSeq++
	g.sessions[key] = session{user: user, seq: g.sessSeq}
}

// New checks the options, creates the images folder and returns a
// gateway. Close releases the folder.
func New(opt Options) (*Gateway, error) {
	if opt.ImagesDir == "" {
		return nil, errors.New("gateway: no images folder given")
	}
	if opt.MaxUpload == 0 {
		opt.MaxUpload = DefaultMaxUpload
	}
	if opt.MaxStored == 0 {
		opt.MaxStored = DefaultMaxStored
	}
	if opt.MaxUpload < 1 || opt.MaxUpload > MaxByteArray {
		return nil, fmt.Errorf("gateway: invalid upload limit %d (range is [1, %d], the AMF3 ByteArray limit)", opt.MaxUpload, MaxByteArray)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := checkLimits(&opt); err != nil {
		return nil, err
	}
	if opt.BaseURL != "" && !strings.HasSuffix(opt.BaseURL, "/") {
		opt.BaseURL += "/"
	}
	if err := os.MkdirAll(opt.ImagesDir, 0o755); err != nil {
		return nil, fmt.Errorf("gateway: images folder: %w", err)
	}
	root, err := os.OpenRoot(opt.ImagesDir)
	if err != nil {
		return nil, fmt.Errorf("gateway: images folder: %w", err)
	}
	maxLen := opt.MaxUpload
	if maxLen < requestOverhead {
		maxLen = requestOverhead
	}
	limits := amf.DecOptions{
		MaxDepth:      128,
		MaxElements:   1 << 20,
		MaxLength:     int(maxLen),
		MaxReferences: maxRefs,
	}
	dec, err := limits.DecMode()
	if err != nil {
		root.Close()
		return nil, err
	}
	limits.UnregisteredArgs = true
	pyamfDec, err := limits.DecMode()
	if err != nil {
		root.Close()
		return nil, err
	}
	g := &Gateway{opt: opt, dec: dec, pyamfDec: pyamfDec, images: root, sessions: make(map[string]session), idle: opt.BodyTimeout, lim: newLimits(&opt)}
	lock, alone, share := lockFolder(root)
	g.folderLock = lock
	if alone {
		g.removeLeftovers()
	}
	share()
	if err := g.store.count(root, opt.MaxStored); err != nil {
		g.Close()
		return nil, fmt.Errorf("gateway: images folder: %w", err)
	}
	return g, nil
}

// Close releases the images folder (and its lock), removing the
// partial files of uploads still under way.
func (g *Gateway) Close() error {
	g.RemoveParts()
	if g.folderLock != nil {
		g.folderLock.Close()
	}
	return g.images.Close()
}

// ImagesDir is the folder the gateway saves images in.
func (g *Gateway) ImagesDir() string { return g.opt.ImagesDir }

// Stored says what the images folder holds (the images there at start,
// and those saved since), and whether it is full: at MaxImages images,
// or at or over Options.MaxStored bytes, so that every saveSnapshot
// answers the fault Snapshot.StorageFull.
func (g *Gateway) Stored() (images int, bytes int64, full bool) {
	st := &g.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.files, st.bytes, st.files >= maxListed || (st.limit >= 0 && st.bytes >= st.limit)
}

// MaxImages is the most images the folder keeps, whatever their size.
const MaxImages = maxListed

// MaxUpload is the largest image the gateway saves, in bytes.
func (g *Gateway) MaxUpload() int64 { return g.opt.MaxUpload }

// MaxMemory is the memory budget of the requests in flight, in bytes.
func (g *Gateway) MaxMemory() int64 { return g.opt.MaxMemory }

// Serve answers HTTP requests on ln until ctx is done, then shuts down
// gracefully: it stops accepting, lets calls in progress finish (for up to
// 5 seconds) and returns nil. At most Options.MaxConns connections are
// open at once.
func (g *Gateway) Serve(ctx context.Context, ln net.Listener) error {
	cl := newConnLimiter(ln, g.opt.MaxConns, g)
	ln = cl
	if g.opt.Log != nil {
		b := &lineBatch{w: g.opt.Log}
		g.batch.Store(b)
		defer func() {
			g.batch.Store(nil)
			b.flush()
		}()
	}
	srv := &http.Server{
		Handler:           g,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(logWriter{g}, "", 0),
		ConnState:         cl.connState,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Uploads under way get a while to end; they are told, in the log,
	// that they were cut off if it runs out. The operator who pressed
	// Ctrl-C saw nothing for 5 s, then "gateway: shutdown: context
	// deadline exceeded".
	g.stopping.Store(true)
	wait := g.shutdownWait
	if wait == 0 {
		wait = 5 * time.Second
	}
	if n := g.inflight.Load(); n > 0 {
		g.logf("stopping: waiting up to %v for the %s under way", wait, requestCount(n))
		if b := g.batch.Load(); b != nil {
			b.flush()
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	err := srv.Shutdown(sctx)
	left := g.inflight.Load()
	if err != nil {
		srv.Close()
		// The requests cut off log their refusal as their reads fail:
		// wait for them a moment, so that the log says so before the
		// gateway says it stopped (under Wine it came in between).
		for end := time.Now().Add(time.Second); g.inflight.Load() > 0 && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond)
		}
	}
	<-errc
	if errors.Is(err, context.DeadlineExceeded) {
		return &ShutdownError{Requests: int(left), Wait: wait}
	}
	if err != nil {
		return fmt.Errorf("gateway: shutdown: %w", err)
	}
	return nil
}

// logWriter sends the HTTP server's own messages to the gateway log.
type logWriter struct{ g *Gateway }

func (w logWriter) Write(p []byte) (int, error) {
	line := strings.TrimRight(string(p), "\n")
	if strings.HasPrefix(line, "http: Accept error: ") {
		// net/http logs each Accept that fails and is retried: a
		// process out of file descriptors logged 9 lines in its first
		// 1.5 s, then one a second for as long as it lasted, more while
		// connections came and went. Said at most once a minute, with
		// a count, as the socket server says its own.
		ok, skipped := w.g.acceptLog.Due(time.Now())
		if !ok {
			return len(p), nil
		}
		if skipped > 0 {
			line += fmt.Sprintf(" (%d more since the last such line)", skipped)
		}
	}
	w.g.logf("%s", oneLine(line, maxReasonText))
	return len(p), nil
}

// logf writes one log line, prefixed with the time. Whatever the
// arguments hold, control and format characters are escaped (see esc).
func (g *Gateway) logf(format string, args ...any) {
	if g.opt.Log == nil {
		return
	}
	line := g.opt.Now().Format("2006-01-02 15:04:05.000") + " " + esc(fmt.Sprintf(format, args...), 0) + "\n"
	if b := g.batch.Load(); b != nil {
		b.add(line)
		return
	}
	g.logMu.Lock()
	defer g.logMu.Unlock()
	io.WriteString(g.opt.Log, line)
}

// ServeHTTP answers one request: GET/HEAD /images/NAME serves a saved
// image; a POST anywhere else is a remoting call.
//
// Every request passes the gateway's limits first (memory budget, body
// rate, write timeout; see the package documentation), whatever handler
// answers it.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.inflight.Add(1)
	defer g.inflight.Add(-1)
	w, r, done, ok := g.admit(w, r)
	if !ok {
		return
	}
	defer done()
	w.Header().Set("Server", "amfcall-gateway")
	if !g.hostAllowed(r.Host) {
		g.refuseUnread(w, r, http.StatusForbidden, "This gateway answers requests for localhost and its IP addresses only, not for the host "+quoteName(r.Host)+
			" (a web page may reach a local gateway through a DNS name that points at it); whoever runs the gateway can allow that name.")
		return
	}
	if name, ok := strings.CutPrefix(r.URL.Path, "/images/"); ok {
		g.serveImage(w, r, name)
		return
	}
	if r.Method != http.MethodPost {
		g.refuse(w, r, http.StatusBadRequest, "To access this AMF gateway you must use POST requests ("+esc(r.Method, 20)+" received)")
		return
	}
	if ct := r.Header.Get("Content-Type"); !isAMFType(ct) {
		if ct == "" {
			ct = "none"
		}
		g.refuseUnread(w, r, http.StatusUnsupportedMediaType, "A remoting call must be sent with Content-Type: application/x-amf (this request's is "+oneLine(ct, 100)+
			"), so that a web page cannot post one from another site without the browser asking first.")
		return
	}
	g.serveAMF(w, r)
}

// isAMFType reports whether a request's Content-Type is AMF's,
// application/x-amf (parameters aside, any case). A browser lets a page
// of any site send text/plain, form bodies or no type at all without
// asking the server first (a CORS "simple" request), never this one.
func isAMFType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-amf")
}

// hostAllowed reports whether a request's Host header names this
// gateway: empty (HTTP/1.0), an IP address (a page can't rebind one),
// "localhost", or one of Options.AllowHosts; a port is not compared.
func (g *Gateway) hostAllowed(host string) bool {
	if host == "" {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), ".")
	if _, err := netip.ParseAddr(host); err == nil || strings.EqualFold(host, "localhost") {
		return true
	}
	for _, a := range g.opt.AllowHosts {
		if strings.EqualFold(strings.TrimSuffix(a, "."), host) {
			return true
		}
	}
	return false
}

// refuse answers a request the gateway cannot take, as text. Whatever
// of the request the reason names (a method, a path, a decoder's
// error), the text is one line of printable UTF-8 of at most
// maxReasonText bytes, control and format characters and bytes of
// invalid UTF-8 escaped (see esc).
func (g *Gateway) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	text := strconv.Itoa(status) + " " + http.StatusText(status) + "\n\n" + oneLine(reason, maxReasonText)
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(text)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, text)
	g.logf("%s %s %s -> %d %s", r.RemoteAddr, esc(r.Method, 20), esc(r.URL.Path, 200), status, oneLine(reason, 300))
}

// maxReasonText bounds the text of a refused request (refuse). The
// longest the gateway writes, a 413's, is about 450 bytes.
const maxReasonText = 1000

var errTooLarge = errors.New("request body too large")

// replyCallCost is what the memory budget is charged, per call of a
// packet of several, for its reply body while the reply is built: the
// message, a fault object and its texts, their encoding, and the log
// line's garbage (charged 512, 16 packets of 65,535 faulting calls at
// once still peaked at 312 MB under a budget of 256 MiB).
const replyCallCost = 1 << 10

// startKey holds the time a request began, in its context.
type startKey struct{}

func (g *Gateway) serveAMF(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if reservationOf(r) == nil { // outside the limits (a test): keep the time
		r = r.WithContext(context.WithValue(r.Context(), startKey{}, start))
	}
	limit := g.opt.MaxUpload + requestOverhead
	tooLarge := func() {
		g.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than this gateway accepts: at most %d bytes (the upload limit of %s plus 1 MiB).", limit, sizeText(g.opt.MaxUpload)))
	}
	res := reservationOf(r)
	var wholeBody int64 // the size of a body read whole, which a reply may echo
	if r.ContentLength > limit {
		tooLarge()
		return
	}
	// The body reader admit set holds the client to the body timeout and
	// rate.
	var body io.Reader = r.Body
	var req *amf.Packet
	var img *streamedImage
	err := errNotStreamable
	// Memory: a body read whole is decoded (the values are copied out of
	// it) and answered (an echo is as large again): reserve three times
	// its size before reading it. A body that may be an upload streamed
	// to disk costs nothing until it is known not to be one.
	cost := func(size int64) int64 { return requestBase + 3*size }
	// A body read whole that the whole budget cannot hold three times
	// over is refused: it ran alone, charged the budget but holding
	// more (an echo of 200 MB took serve to 426 MB under a budget of
	// 256 MiB). A saveSnapshot image streamed to disk costs nothing.
	overBudget := func(size, values int64) bool {
		if res == nil || cost(size)+values <= res.l.max {
			return false
		}
		g.refuseUnread(w, r, http.StatusRequestEntityTooLarge, wholeBodyText(sizeText(size), "about "+sizeText(cost(size)+values), res.l.max))
		return true
	}
	readLimit := limit
	if res != nil {
		readLimit = min(limit, g.MaxWholeBody())
	}
	echo, echo0 := false, false // a lone echo.echo call, by its first bytes; its argument AMF0
	if r.ContentLength >= 0 && r.ContentLength <= streamOver {
		if err := res.need(r.Context(), cost(r.ContentLength), 0); err != nil {
			g.busy(w, r, err)
			return
		}
	}
	if r.ContentLength < 0 || r.ContentLength > streamOver {
		br := bufio.NewReaderSize(body, peekSize)
		body = br
		chargeBody(r, false)
		req, img, err = g.streamSnapshot(br, limit)
		chargeBody(r, true)
		if err == errNotStreamable {
			head, _ := br.Peek(peekSize) // peeked whole by streamSnapshot
			echo, echo0 = g.loneEcho(head)
		}
		if echo {
			// An echo.echo call alone in its packet is answered from its
			// own bytes (echo.go): charged what that takes, so that an
			// echo the budget cannot hold three times over is answered
			// too. One echoRaw declines is charged in full once read.
			if res != nil {
				readLimit = min(limit, g.MaxEchoBody())
			}
			// Refused by its charge without the AMF0 object table: that
			// is a bound, which a long AMF0 string is far under. An
			// echo whose table would pass the budget runs alone.
			if r.ContentLength > 0 && res != nil && echoCost(r.ContentLength, false) > res.l.max {
				g.refuseUnread(w, r, http.StatusRequestEntityTooLarge, echoBodyText(r.ContentLength, res.l.max))
				return
			}
			if err := res.need(r.Context(), echoCost(max(r.ContentLength, 0), echo0), 0); err != nil {
				g.busy(w, r, err)
				return
			}
		} else if err == errNotStreamable && r.ContentLength > 0 {
			if overBudget(r.ContentLength, 0) {
				return
			}
			if err := res.need(r.Context(), cost(r.ContentLength), 0); err != nil {
				g.busy(w, r, err)
				return
			}
		}
	}
	if img != nil {
		defer img.done(g) // the file is still there if the call failed
		r = r.WithContext(context.WithValue(r.Context(), streamedKey{}, img))
	}
	if err == errNotStreamable {
		var data []byte
		// A body of unknown length, read in chunks as it came (charged
		// for its bytes as they came), is copied into one buffer: what
		// it is charged next (an echo's, or three times its body), and
		// the chunks and their copy at least, are held first.
		join := func(n int64) error {
			next := cost(n)
			if echo {
				next = echoCost(n, echo0)
			}
			return res.need(r.Context(), max(next, requestBase+2*n), requestBase+n)
		}
		data, err = readBody(body, r.ContentLength, readLimit, join)
		var busy *errBudget
		if errors.As(err, &busy) {
			g.busy(w, r, err)
			return
		}
		if err == errTooLarge && readLimit < limit && r.ContentLength < 0 {
			// A body of unknown length stops being read once it passes
			// what the budget holds read whole.
			text := wholeBodyText("over "+sizeText(readLimit), "over "+sizeText(cost(readLimit)), res.l.max)
			if echo {
				text = echoBodyText(readLimit+1, res.l.max)
			}
			g.refuseUnread(w, r, http.StatusRequestEntityTooLarge, text)
			return
		}
		if err == nil && len(data) == 0 {
			// Said as such: it was "amf0: unexpected EOF within
			// "/version" at offset 0".
			g.refuse(w, r, http.StatusBadRequest, "The request body is empty: a remoting call is an AMF packet (its version, headers and messages).")
			return
		}
		if err == nil {
			wholeBody = int64(len(data))
			callStart := start
			if res != nil {
				callStart = res.start
			}
			if !echo && wholeBody <= streamOver {
				// Not peeked: charged three times its size, which the
				// AMF0 object table of echoRaw's scan may pass.
				echo, echo0 = g.loneEcho(data)
			}
			// The AMF3 object and traits tables of the pass that checks an
			// echo (valuecost.ScanTables, 1.5 MiB at most), as far as they
			// pass a byte a byte of the body (what echoCost has for
			// tables is two; past 1 MiB, more than that bound): an echo
			// of 250 KB of objects of inline traits (charged 814 KB) made
			// 1.18 MB of tables. An echo charged more once read waits as
			// any request does (holding its body); one of ordinary values
			// is not (the 0x0a bytes are few).
			var scan int64
			if echo && wholeBody <= 1<<20 {
				scan = max(0, valuecost.ScanTables(data)-wholeBody)
			}
			if echo {
				// A body of unknown length was charged as it came.
				if err := res.need(r.Context(), echoCost(wholeBody, echo0)+scan, requestBase+wholeBody); err != nil {
					g.busy(w, r, err)
					return
				}
			}
			if echo && g.echoRaw(w, r, data, callStart) {
				return
			}
			// The token Reader that counts the values keeps a table of
			// the AMF0 objects, which three times the body may not
			// cover (see refs0Cost), and its AMF3 object and traits
			// tables (valuecost.Tables): charged while it counts.
			tables := requestBase + wholeBody + refs0Cost(wholeBody) + valuecost.Tables(data)
			if err := res.need(r.Context(), tables, requestBase+wholeBody); err != nil {
				g.busy(w, r, err)
				return
			}
			// What the values decode to, on top of the bytes: counted
			// before they are decoded, a request whose values alone
			// would take more than the whole budget is refused.
			if tablesHook != nil {
				tablesHook(res.held())
			}
			values := g.valueCost(data)
			if fromPyAMF(r) {
				values *= 2 // readAsPyAMF may decode them again
			}
			if res != nil && values > res.l.max {
				g.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request's values would take about %s of memory once decoded, more than this gateway's memory budget of %s for requests in flight.", sizeText(values), sizeText(res.l.max)))
				return
			}
			if overBudget(wholeBody, values) {
				return
			}
			if err := res.need(r.Context(), cost(int64(len(data)))+values, requestBase+int64(len(data))); err != nil {
				g.busy(w, r, err)
				return
			}
			res.shrink(max(cost(int64(len(data)))+values, requestBase+int64(len(data)))) // the tables are garbage now
			req, err = g.dec.UnmarshalPacket(data)
			if err != nil {
				status := http.StatusBadRequest
				var le *amf.MaxLengthError
				if errors.As(err, &le) && le.Length <= int64(len(data)) {
					status = http.StatusRequestEntityTooLarge
					err = fmt.Errorf("%w (this gateway takes values of at most %d bytes, and images up to its upload limit of %s)", err, le.Limit, sizeText(g.opt.MaxUpload))
				}
				g.refuse(w, r, status, "The request body was unable to be successfully decoded: "+err.Error())
				return
			}
			g.readAsPyAMF(r, data, req)
			if size := g.oversizedImage(req); size > 0 {
				g.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The saveSnapshot image is %d bytes, over the upload limit of %s that this gateway saves.", size, sizeText(g.opt.MaxUpload)))
				return
			}
		}
	}
	if err == errTooLarge {
		tooLarge()
		return
	}
	if errors.Is(err, ErrSlowBody) {
		// Sent at once: net/http would read what is left of the body
		// (for unreadBodyWait) before writing it.
		w.Header().Set("Connection", "close")
		g.refuse(w, r, http.StatusRequestTimeout, "The request body was dropped: "+err.Error()+".")
		http.NewResponseController(w).Flush()
		return
	}
	if err != nil && g.stopping.Load() {
		g.refuse(w, r, http.StatusServiceUnavailable, "The request was cut off: the gateway is stopping.")
		return
	}
	if cut := cutShort(r); err != nil && cut != "" {
		g.refuse(w, r, http.StatusBadRequest, "The request body was cut short: "+cut+".")
		return
	}
	if err != nil {
		g.refuse(w, r, http.StatusBadRequest, "The request body was unable to be successfully decoded: "+err.Error())
		return
	}
	// Each call's reply body (its value, or a fault object with its
	// texts) is built before any is written: a call of 15 bytes that
	// faults (an unknown target) is answered with 130, and takes about
	// a kilobyte while the reply is built. Charged before the calls run: 16
	// requests of 65,535 such calls (1 MB each) took serve to 505 MB
	// under a budget of 256 MiB.
	if res != nil && len(req.Messages) > 1 {
		if err := res.need(r.Context(), res.n+replyCallCost*int64(len(req.Messages)), res.n); err != nil {
			g.busy(w, r, err)
			return
		}
	}
	// Debug events add two event objects to the reply for each call
	// (debug.go): a call of 27 bytes is answered with about 330 more, and
	// takes about 1.5 KB more while the reply is built. Charged before
	// the calls run: 32 requests of 21,000 calls (577 KB each) asking for
	// them took serve to 695 MB under a budget of 256 MiB.
	if wantsDebug(req) && 2*len(req.Messages) > 0xFFFF {
		// Each call is answered with two bodies; a packet holds 65,535.
		// Refused before the calls run: they all ran, then the reply
		// could not be written (HTTP 500).
		g.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request asks for debug events for %d calls: the reply would hold %d bodies, more than the 65535 an AMF packet holds; send at most 32767 calls with amf_server_debug.", len(req.Messages), 2*len(req.Messages)))
		return
	}
	if wantsDebug(req) && res != nil {
		extra := debugCallCost * int64(len(req.Messages))
		if res.n+extra > res.l.max {
			g.refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request asks for debug events for %d calls, which would take about %s of memory, more than this gateway's memory budget of %s for requests in flight.", len(req.Messages), sizeText(res.n+extra), sizeText(res.l.max)))
			return
		}
		if err := res.need(r.Context(), res.n+extra, res.n); err != nil {
			g.busy(w, r, err)
			return
		}
	}
	if g.opt.Verbose {
		g.logPacket(r.RemoteAddr, "request", req)
	}
	extras := &replyExtras{}
	paid := wholeBody + replyChunk
	if len(req.Messages) > 1 {
		paid += replyCallCost * int64(len(req.Messages))
	}
	rw := g.newReplyWriter(r.Context(), res, req, paid, wholeBody)
	defer rw.release()
	headers := g.handle(r.WithContext(context.WithValue(r.Context(), extrasKey{}, extras)), req, rw)
	if g.opt.Verbose {
		g.logPacket(r.RemoteAddr, "reply", rw.shownPacket(headers))
		if more := rw.n - len(rw.shown); more > 0 {
			g.logf("%s reply packet: %d more bodies not shown", r.RemoteAddr, more)
		}
	}
	for _, ck := range extras.cookies {
		http.SetCookie(w, ck)
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-amf")
	h.Set("Cache-Control", "no-store")
	size, err := rw.writeTo(w, headers)
	var bad *replyError
	if errors.As(err, &bad) {
		h.Del("Cache-Control")
		g.refuse(w, r, http.StatusBadRequest, "The request cannot be answered: "+err.Error()+".")
		return
	}
	if err != nil {
		g.refuse(w, r, http.StatusInternalServerError, "The reply could not be encoded: "+err.Error())
		return
	}
	if len(req.Messages) != 1 {
		unlogged := ""
		if extras.unlogged > 0 {
			unlogged = fmt.Sprintf(" (%d calls after the first %d not logged one by one, %d of them faults)", extras.unlogged, maxCallLines, extras.unloggedFaults)
		}
		g.logf("%s packet v%d, %d messages, %d bytes in, %d bytes out %s%s", r.RemoteAddr, req.Version, len(req.Messages), r.ContentLength, size, fmtDur(time.Since(start)), unlogged)
	}
}

// MaxWholeBody is the largest request body the gateway reads whole
// (any request but a saveSnapshot whose image it streams to disk): it
// is decoded and answered (an echo is as large again), which the
// memory budget is charged three times the body for. A larger one gets
// a 413 naming the budget.
func (g *Gateway) MaxWholeBody() int64 {
	return (g.lim.max - requestBase) / 3
}

// echoCost is what the memory budget is charged for a request that is
// one echo.echo call alone in its packet, of size bytes, answered from
// its own bytes (echo.go): the body, the tables of the pass that checks
// it (ScanPacket: up to 2.5 MB for its first 65,536 AMF3 strings, then
// about a byte a string; echoScan and a quarter of the body cover
// them, or twice the body when that is less), the reply's few bytes of
// framing. An argument that is not an AMF3 value behind its switch
// (amf0) is charged its AMF0 object table as well (refs0Cost): 12
// echoes at once of 4 MB of empty AMF0 objects took serve to 98 MB
// under a budget of 64 MiB. The table is a bound (a long AMF0 string
// has none), so it does not make an echo too large: one whose charge
// passes the budget only with it runs alone.
func echoCost(size int64, amf0 bool) int64 {
	c := requestBase + size + min(2*size, size/4+echoScan)
	if amf0 {
		c += refs0Cost(size)
	}
	return c
}

// tablesHook, when set (by a test), is told what the request holds of
// the budget as a token Reader begins to read it (to count its values,
// or to check an echo).
var tablesHook func(held int64)

// echoScan is the part of echoCost that does not grow with the body.
const echoScan = 4 << 20

// maxRefs is the most references (entries of an object table) a
// request's value may register: the decoder's MaxReferences.
const maxRefs = 1 << 20

// refs0Cost bounds what a token Reader allocates for the AMF0 object
// table of a value of size bytes: an entry of 8 bytes for each object,
// array and typed object (an empty object, 03 00 00 09, is 4 bytes),
// up to maxRefs, in a table that doubles from 256 entries, the tables
// it outgrew garbage: 16 bytes an entry of the last. A scan of 4 MB of
// empty AMF0 objects allocated 16.8 MB, 14.7 MB of it at once.
func refs0Cost(size int64) int64 {
	n := size / 4
	c := int64(256)
	for c < n && c < maxRefs {
		c *= 2
	}
	return 16 * c
}

// MaxEchoBody is the largest request body the gateway reads whole when
// it is one echo.echo call alone in its packet (see echoCost, without
// the AMF0 object table): the budget less 4 MiB, over 1.25. A larger
// one gets a 413 naming the budget. It is at least MaxWholeBody.
func (g *Gateway) MaxEchoBody() int64 {
	return max(g.MaxWholeBody(), (g.lim.max-requestBase-echoScan)*4/5)
}

// echoBodyText is the 413's text for an echo of size bytes whose
// charge is over the budget.
func echoBodyText(size, budget int64) string {
	return fmt.Sprintf("The request body (%s) is one echo.echo call, answered with its own bytes, which takes about %s of memory: more than this gateway's memory budget of %s for requests in flight, so it echoes bodies of at most %s. Only a saveSnapshot image is streamed to disk, whatever its size up to the upload limit; send a smaller request, or ask whoever runs the gateway for a larger memory budget.",
		sizeText(size), sizeText(echoCost(size, false)), sizeText(budget), sizeText(max((budget-requestBase)/3, (budget-requestBase-echoScan)*4/5)))
}

// wholeBodyText is the 413's text for a body of size bytes read whole
// whose charge is over the budget.
func wholeBodyText(size, charge string, budget int64) string {
	return fmt.Sprintf("The request body (%s) is read whole, decoded and answered, which takes %s of memory: more than this gateway's memory budget of %s for requests in flight, so it takes bodies read whole of at most %s. Only a saveSnapshot image is streamed to disk, whatever its size up to the upload limit; send a smaller request, or ask whoever runs the gateway for a larger memory budget.",
		size, charge, sizeText(budget), sizeText((budget-requestBase)/3))
}

// replaceUnencodable turns each reply body whose value cannot be encoded
// (an echo of something odd) into a fault.
func (g *Gateway) replaceUnencodable(p *amf.Packet) {
	for i := range p.Messages {
		m := &p.Messages[i]
		if _, err := amf.Marshal(m.Value, amf.AMF0); err != nil {
			*m = encodeFault(*m, err, p.Version)
		}
	}
}

// call is the context of one remoting call.
type call struct {
	g      *Gateway
	r      *http.Request
	target string
	// reply collects what a method adds to the reply besides its value:
	// cookies and AMF headers (login); token is the SessionToken header
	// the request carried.
	reply *replyExtras
	token string
	// user is the authenticated user name ("" if none); credsGiven says
	// whether credentials came with the call at all.
	user       string
	credsGiven bool
	authOK     bool
}

// Handle answers a decoded request packet: one reply body per request
// body, in the same order, in a packet of the request's version (a
// version 1 packet is answered with version 0). r gives the remote
// address and the host for image URLs; it may be nil.
func (g *Gateway) Handle(r *http.Request, req *amf.Packet) *amf.Packet {
	resp := &amf.Packet{Version: replyVersion(req)}
	resp.Headers = g.handle(r, req, packetSink{resp})
	return resp
}

// replyVersion is the version of the reply to req: a version 1 packet
// is answered with version 0.
func replyVersion(req *amf.Packet) uint16 {
	if req.Version == 3 {
		return 3
	}
	return 0
}

// handle runs the calls of req, giving out each reply body as it is
// made (the bodies of debug events last), and returns the reply's
// headers. Once out has no room for a call's body, that call and the
// calls after it (not run) are answered with the fault out says.
func (g *Gateway) handle(r *http.Request, req *amf.Packet, out bodySink) []amf.Header {
	if r == nil {
		r = &http.Request{Host: "localhost", RemoteAddr: "-", URL: nil}
	}
	ver := replyVersion(req)

	var creds *credentials
	var notUnderstood []string
	var notUnderstoodText string // the fault's description, made once
	extras, _ := r.Context().Value(extrasKey{}).(*replyExtras)
	if extras == nil {
		extras = &replyExtras{}
	}
	token := ""
	for _, h := range req.Headers {
		switch h.Name {
		case "SessionToken":
			token, _ = amf.Unwrap(h.Value).(string)
		case "Credentials":
			creds = credentialsFrom(h.Value)
			if creds == nil && h.MustUnderstand {
				notUnderstood = append(notUnderstood, h.Name)
			}
		case DebugHeader, "DescribeService":
			// Understood: debug events are added below (debug.go).
		default:
			if h.MustUnderstand {
				notUnderstood = append(notUnderstood, h.Name)
			}
		}
	}
	reqStart, _ := r.Context().Value(startKey{}).(time.Time)
	if res := reservationOf(r); res != nil {
		reqStart = res.start
	}
	var dbg *debugLog
	if wantsDebug(req) {
		r, dbg = withDebug(r)
	}
	for i := range req.Messages {
		m := &req.Messages[i]
		start := time.Now()
		if len(req.Messages) == 1 && !reqStart.IsZero() {
			start = reqStart // the whole request, reading the body included
		}
		label := m.Target
		var body amf.Message
		var detail string
		switch f := out.refused(); {
		case f != nil:
			// The reply has no room left: not run.
			if m.Target == "null" && isFlexMessage(m.Value) {
				label = flexLabel(flexMessage(m.Value))
			}
			body, detail = g.faultReply(m, f, ver), f.Code+": "+f.Description
		case len(notUnderstood) > 0:
			if notUnderstoodText == "" {
				notUnderstoodText = notUnderstoodDesc(notUnderstood)
			}
			f := &Fault{Code: "Server.Header.NotUnderstood", Description: notUnderstoodText, Details: "", Type: "HeaderError"}
			body, detail = plainFault(m, f, ver), f.Code+": "+f.Description
		default:
			c := &call{g: g, r: r, target: m.Target, reply: extras, token: token}
			if creds != nil {
				c.credsGiven = true
				c.user = creds.user
				c.authOK = g.checkPassword(creds.user, creds.password)
			}
			body, label, detail = g.answer(c, m, ver)
		}
		if f := out.put(body, i); f != nil {
			body, detail = g.faultReply(m, f, ver), f.Code+": "+f.Description
			out.put(body, i)
		}
		outcome := "onResult"
		if strings.HasSuffix(body.Target, "/onStatus") {
			outcome = "onStatus"
		}
		g.logCall(r, extras, label, m.Response, outcome, detail, start)
	}
	if dbg != nil {
		for _, b := range dbg.debugBodies(ver) {
			out.put(b, -1)
		}
	}
	var headers []amf.Header
	for _, h := range extras.headers {
		if ver == 3 {
			h.Value = amf.AVMPlus{Value: h.Value}
		}
		headers = append(headers, h)
	}
	return headers
}

// answer runs one call of a request packet: its reply body, the label
// that names it in the log and, for a fault, the fault's text.
func (g *Gateway) answer(c *call, m *amf.Message, ver uint16) (body amf.Message, label, detail string) {
	if m.Target == "null" && isFlexMessage(m.Value) {
		value, ok, label := g.flex(c, m.Value)
		if !ok {
			return amf.Message{Target: m.Response + "/onStatus", Response: "null", Value: value}, label, flexFaultText(value)
		}
		return amf.Message{Target: m.Response + "/onResult", Response: "null", Value: value}, label, ""
	}
	value, fault := g.dispatch(c, m.Target, argsOf(m.Value))
	if fault != nil {
		return g.faultReply(m, fault, ver), m.Target, fault.Code + ": " + fault.Description
	}
	if ver == 3 {
		if _, ok := value.(amf.AVMPlus); !ok {
			value = amf.AVMPlus{Value: value}
		}
	}
	return amf.Message{Target: m.Response + "/onResult", Response: "null", Value: value}, m.Target, ""
}

// maxCallLines is how many calls of one packet are logged one by one;
// the rest are counted in the packet's summary line. A packet of 65,535
// calls that fault (1 MB) logged 6.5 MB, one line a call.
const maxCallLines = 20

// logCall logs one call of the request (the first maxCallLines of a
// packet; x counts the rest) and records it for the debug events. The
// parts the client chose are cut: the target to 100 bytes, the
// response id to 40, the fault's text to 200.
func (g *Gateway) logCall(r *http.Request, x *replyExtras, target, id, outcome, detail string, start time.Time) {
	took := time.Since(start)
	x.calls++
	shown := x.calls <= maxCallLines
	if !shown {
		x.unlogged++
		if outcome == "onStatus" {
			x.unloggedFaults++
		}
		if d, _ := r.Context().Value(debugKey{}).(*debugLog); d == nil {
			return // no debug events to record it for
		}
	}
	if detail != "" {
		detail = " " + oneLine(detail, 200)
	}
	target = oneLine(target, 100)
	id = oneLine(id, 40)
	if shown {
		g.logf("%s %s %s -> %s%s %s", r.RemoteAddr, target, id, outcome, detail, fmtDur(took))
	}
	recordDebug(r, func() debugRecord {
		return debugRecord{response: id, target: target, outcome: outcome, at: start, took: took,
			line: esc(r.RemoteAddr+" "+target+" "+id+" -> "+outcome+detail+" "+fmtDur(took), 0)}
	})
}

// notUnderstoodDesc is the description of the fault that answers each
// call of a packet with must-understand headers the gateway does not
// know: the first few names, each cut. Before, it named every header
// whole, and was made again for each call: 16 headers of 60 KB names and
// 100 calls (962 KB) were answered with 96 MB (serve at 365 MB, 12 s).
func notUnderstoodDesc(names []string) string {
	const shown, nameMax = 5, 64
	var b strings.Builder
	b.WriteString("the gateway does not understand the header")
	if len(names) > 1 {
		b.WriteString("s")
	}
	for i, n := range names[:min(len(names), shown)] {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" ")
		b.WriteString(textcut.Cut(n, nameMax))
	}
	if len(names) > shown {
		fmt.Fprintf(&b, " (and %d more)", len(names)-shown)
	}
	b.WriteString(" that the client marked must-understand")
	return b.String()
}

// checkPassword reports whether user and password match the configured
// ones; with no user configured every caller is accepted.
func (g *Gateway) checkPassword(user, password string) bool {
	if g.opt.User == "" {
		return true
	}
	u := subtle.ConstantTimeCompare([]byte(user), []byte(g.opt.User))
	p := subtle.ConstantTimeCompare([]byte(password), []byte(g.opt.Password))
	return u&p == 1
}

type credentials struct{ user, password string }

// credentialsFrom reads a Credentials header value: an object (or ECMA
// array) with string members userid and password.
func credentialsFrom(v any) *credentials {
	var get func(string) (any, bool)
	switch x := amf.Unwrap(v).(type) {
	case *amf.Object:
		get = x.Get
	case *amf.ECMAArray:
		get = func(name string) (any, bool) {
			for _, m := range x.Members {
				if m.Name == name {
					return m.Value, true
				}
			}
			return nil, false
		}
	default:
		return nil
	}
	u, _ := get("userid")
	p, _ := get("password")
	us, ok1 := amf.Unwrap(u).(string)
	ps, ok2 := amf.Unwrap(p).(string)
	if !ok1 || !ok2 {
		return nil
	}
	return &credentials{us, ps}
}

// argsOf returns the arguments of a plain remoting call: the elements of
// the strict array, or the value itself when a client sent no array.
func argsOf(v any) []any {
	switch x := amf.Unwrap(v).(type) {
	case nil:
		return nil
	case *amf.Array:
		if len(x.Assoc) == 0 {
			return x.Dense
		}
	}
	return []any{v}
}

// Fault is a failed call, answered as PyAMF's gateway does: an
// /onStatus body with an object {code, description, details, level,
// type}, or for Flex a flex.messaging.messages.ErrorMessage.
type Fault struct {
	Code        string
	Description string
	Details     any    // nil or a string
	Type        string // the AMF0 "type" member
	Name        string // the Flex rootCause name; default: Code without dots
}

// object is the AMF fault object (members in the order PyAMF writes them).
func (f *Fault) object() *amf.Object {
	return &amf.Object{Members: []amf.Member{
		{Name: "code", Value: f.Code},
		{Name: "description", Value: f.Description},
		{Name: "details", Value: f.Details},
		{Name: "level", Value: "error"},
		{Name: "type", Value: f.Type},
	}}
}

func (f *Fault) Error() string { return f.Code + ": " + f.Description }

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
	case d < time.Second:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
}

// oneLine collapses whitespace runs into one space, escapes control and
// format characters (see esc) and shortens s to about max bytes.
func oneLine(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }), " ")
	return esc(s, max)
}
