package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultIdleTimeout is the default of [Config.IdleTimeout].
const DefaultIdleTimeout = 60 * time.Second

// MaxHeaderBytes bounds the HTTP header fields of a reply (and of the
// 1xx replies before it), as Chrome bounds them (256 KiB). net/http's
// own bound, 10 MiB, let a hostile gateway's millions of tiny header
// fields ("a:b") take about 110 MB of memory per request, each a string
// in the header map: three at once for probe, one per connection for
// bench. An AMF gateway sends a few hundred bytes of them.
const MaxHeaderBytes = 256 << 10

// ErrNoPEM is returned by [NewHTTPClient] and [New] when
// [Config.CACerts] holds no PEM certificate.
var ErrNoPEM = errors.New("no PEM certificate found in the CA certificates given")

// NewHTTPClient returns the HTTP client that [New] uses, for other
// requests that must go the same way (downloads the gateway points at):
// cfg's TLS settings, proxy, connect and idle timeouts. It has no cookie
// jar, no overall timeout and follows redirects as Go's client does, but
// never from https to http, and to another host without the Referer Go's
// client adds (unless cfg.LocationTrusted; cfg.Referer is sent). Callers add their own headers, and only to
// the hosts they mean (see [SameOrigin]).
func NewHTTPClient(cfg Config) (*http.Client, error) {
	tr, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if downgrade(via[0].URL, req.URL) {
			return &HTTPError{Kind: ErrRedirect, URL: redact(via[0].URL.String()), Reason: ReasonDowngrade,
				Detail: "refusing to follow a redirect from https to " + req.URL.Redacted()}
		}
		if len(via) >= maxRedirects {
			return &HTTPError{Kind: ErrRedirect, URL: redact(via[0].URL.String()),
				Detail: fmt.Sprintf("stopped after %d redirects (last to %s)", maxRedirects, req.URL.Redacted())}
		}
		// Go's client names the URL it comes from as the Referer:
		// another host gets only the one the user set.
		if !cfg.LocationTrusted && !SameOrigin(via[0].URL, req.URL) {
			if cfg.Referer != "" {
				req.Header.Set("Referer", cfg.Referer)
			} else {
				req.Header.Del("Referer")
			}
		}
		return nil
	}}, nil
}

func newTransport(cfg Config) (*http.Transport, error) {
	tlsConf := &tls.Config{InsecureSkipVerify: cfg.Insecure}
	if len(cfg.CACerts) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(cfg.CACerts) {
			return nil, ErrNoPEM
		}
		tlsConf.RootCAs = pool
	}
	proxy := cfg.Proxy
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	idle := cfg.IdleTimeout
	if idle == 0 {
		idle = DefaultIdleTimeout
	}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if idle > 0 {
			return &idleConn{Conn: conn, idle: idle}, nil
		}
		return bigWriteConn{conn}, nil
	}
	return &http.Transport{
		Proxy:               proxy,
		DialContext:         dial,
		TLSClientConfig:     tlsConf,
		TLSHandshakeTimeout: 15 * time.Second,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        4,
		IdleConnTimeout:     90 * time.Second,
		// HTTP/2's bound on a header list is taken from it too.
		MaxResponseHeaderBytes: headerBytes(cfg),
	}, nil
}

// idleConn is a connection on which some byte must move, either way,
// within idle, so that a peer that stops answering (or stops reading what
// is sent) fails the exchange even with no overall timeout. Reads and
// writes run at once (the transport reads for the reply while a long
// body is still being written): a deadline that passes on one side while
// the other moved bytes is pushed on, not reported.
type idleConn struct {
	net.Conn
	idle  time.Duration
	moved atomic.Int64 // when a byte last moved, either way (Unix ns)
	// timedOut: one side's idle deadline passed, and the transport
	// closes the connection on that error.
	timedOut atomic.Bool
}

func (c *idleConn) Read(p []byte) (int, error) {
	start := time.Now()
	for {
		c.Conn.SetReadDeadline(c.deadline(start))
		n, err := c.Conn.Read(p)
		if n > 0 {
			c.moved.Store(time.Now().UnixNano())
		}
		if n == 0 && isDeadline(err) && time.Now().Before(c.deadline(start)) {
			continue // the write side moved bytes meanwhile
		}
		return n, c.wrap(err)
	}
}

func (c *idleConn) Write(p []byte) (int, error) {
	start := time.Now()
	total := 0
	for {
		c.Conn.SetWriteDeadline(c.deadline(start))
		n, err := c.Conn.Write(p[total:])
		total += n
		if n > 0 {
			c.moved.Store(time.Now().UnixNano())
		}
		if isDeadline(err) && total < len(p) && time.Now().Before(c.deadline(start)) {
			continue // bytes moved (this way or the other) meanwhile
		}
		return total, c.wrap(err)
	}
}

// copyBufSize is the size of the writes that send a request body (an
// upload): io.Copy's 32 KiB costs a read and a write system call per 32
// KiB, twice curl's count for the same file; 256 KiB makes it a quarter
// of curl's. Measured in testdata/bench/upload.
const copyBufSize = 256 << 10

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// ReadFrom sends what r gives in writes of up to copyBufSize bytes, each
// under the idle deadline as Write is. The transport copies a request
// body to the connection through it.
func (c *idleConn) ReadFrom(r io.Reader) (int64, error) { return copyInPieces(c, r) }

// bigWriteConn is a connection with no idle limit that sends a request
// body in writes of copyBufSize bytes too.
type bigWriteConn struct{ net.Conn }

func (c bigWriteConn) ReadFrom(r io.Reader) (int64, error) { return copyInPieces(c.Conn, r) }

// copyInPieces copies r to c in writes of up to copyBufSize bytes.
func copyInPieces(c io.Writer, r io.Reader) (int64, error) {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	buf := *bp
	var n int64
	for {
		k, rerr := r.Read(buf)
		if k > 0 {
			w, werr := c.Write(buf[:k])
			n += int64(w)
			if werr != nil {
				return n, werr
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// deadline is idle after the later of start and the last byte moved.
func (c *idleConn) deadline(start time.Time) time.Time {
	last := time.Unix(0, c.moved.Load())
	if last.Before(start) {
		last = start
	}
	return last.Add(c.idle)
}

func (c *idleConn) wrap(err error) error {
	if isDeadline(err) {
		c.timedOut.Store(true)
		return &IdleTimeoutError{Idle: c.idle, Err: err}
	}
	if err != nil && c.timedOut.Load() && errors.Is(err, net.ErrClosed) {
		// The other side's idle timeout closed the connection under
		// this read or write. A gateway that stopped reading an upload
		// timed out on the side reading for the reply, and the write of
		// the body, failing next with "use of closed network
		// connection", was what the transport reported: a connection
		// broken off, not the timeout it was.
		return &IdleTimeoutError{Idle: c.idle, Err: err}
	}
	return err
}

func isDeadline(err error) bool {
	var ne net.Error
	return err != nil && errors.As(err, &ne) && ne.Timeout()
}

// IdleTimeoutError is a connection on which no byte moved, either way,
// for Idle ([Config.IdleTimeout]).
type IdleTimeoutError struct {
	Idle time.Duration
	Err  error
}

func (e *IdleTimeoutError) Error() string {
	return fmt.Sprintf("no bytes moved for %v", e.Idle)
}

func (e *IdleTimeoutError) Unwrap() error { return e.Err }

// Timeout reports true: it is a net.Error timeout.
func (e *IdleTimeoutError) Timeout() bool { return true }

// Temporary reports false.
func (e *IdleTimeoutError) Temporary() bool { return false }

// SameOrigin reports whether a and b have the same scheme, host and port,
// the test for sending credentials and custom headers along (curl's rule
// for following a redirect).
func SameOrigin(a, b *url.URL) bool {
	return origin(a) == origin(b)
}

// downgrade reports a move from https to plain http.
func downgrade(from, to *url.URL) bool {
	return from.Scheme == "https" && to.Scheme != "https"
}
