package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/connreset"
	"github.com/amfcall/amfcall/client/internal/valuecost"
	"github.com/amfcall/amfcall/client/safetext"
)

// Send encodes and posts a request packet and returns the reply packet,
// after the gateway's headers (URL rewrites, persistent headers) have
// been applied to the client.
func (c *Client) Send(ctx context.Context, p *amf.Packet) (*amf.Packet, error) {
	body, err := c.enc.AppendPacket(nil, p)
	if err != nil {
		return nil, err
	}
	return c.post(ctx, bytes.NewReader(body), int64(len(body)), p, body)
}

// SendEncoded is [Client.Send] of the packet p already encoded as body
// (by [amf.MarshalPacket] or an Encoder; p is what body holds), for
// sending one packet many times without encoding it again. As Send does,
// it sends body again on a 307/308 redirect, and to another host without
// the AMF Credentials header (unless Config.LocationTrusted), and a
// Flex packet with DSRemoteCredentials never to another host. body must
// not change while the call runs.
func (c *Client) SendEncoded(ctx context.Context, p *amf.Packet, body []byte) (*amf.Packet, error) {
	if c.cfg.Flex && c.cfg.FlexRemoteUser != "" {
		ctx = withSecretBody(ctx) // DSRemoteCredentials, as Batch marks it
	}
	return c.post(ctx, bytes.NewReader(body), int64(len(body)), p, body)
}

// PostStream posts a request body that the caller has already encoded as
// an AMF packet, reading it from body as it is sent (nothing is buffered),
// and returns the decoded reply packet as [Client.Send] does. size is the
// exact body length (sent as Content-Length), or -1 if unknown (then the
// body is sent chunked). Pick each call's outcome from the reply with
// [ResultOf]. A streamed body cannot be sent twice, so a 307/308 redirect
// fails with an *HTTPError naming the new location.
func (c *Client) PostStream(ctx context.Context, body io.Reader, size int64) (*amf.Packet, error) {
	return c.post(ctx, body, size, nil, nil)
}

// StreamAgain makes a streamed request body again, whole from its first
// byte, for a 307/308 redirect (which re-sends the POST and its body);
// withoutCredentials asks for it without the AMF Credentials header,
// for another host that Config.LocationTrusted does not trust. It
// returns the body, its exact length, and whether it took a header out.
type StreamAgain func(withoutCredentials bool) (body io.Reader, size int64, stripped bool, err error)

// PostStreamAgain is [Client.PostStream] of a body that again can make
// again (a file read from its start again): a 307/308 redirect is
// followed, as [Client.Send] follows it, within the same limits (at most
// 10 hops, never https to http, the credentials and header fields to
// another host only with Config.LocationTrusted), the body sent whole
// each time, never the rest of one read in part.
func (c *Client) PostStreamAgain(ctx context.Context, body io.Reader, size int64, again StreamAgain) (*amf.Packet, error) {
	if again == nil {
		return c.post(ctx, body, size, nil, nil)
	}
	if c.cfg.Flex && c.cfg.FlexRemoteUser != "" {
		ctx = withSecretBody(ctx) // DSRemoteCredentials, as SendEncoded marks it
	}
	sa := &streamAgain{fn: again}
	return c.post(context.WithValue(ctx, streamAgainKey{}, sa), body, size, nil, nil)
}

// streamAgainKey keys, in a request's context, the *streamAgain of a
// streamed body that can be sent again.
type streamAgainKey struct{}

// streamAgain makes a streamed body again, and keeps the reader of the
// body last sent, whose read error (a file that changed) is the error.
type streamAgain struct {
	fn  StreamAgain
	cur atomic.Pointer[bodyReader]
}

// body makes the body again (without the credentials if strip), or an
// error when it cannot be made or its length changed.
func (s *streamAgain) body(strip bool, size int64) (io.ReadCloser, int64, bool, error) {
	r, n, stripped, err := s.fn(strip)
	if err != nil {
		return nil, 0, false, err
	}
	if !stripped && n != size {
		return nil, 0, false, fmt.Errorf("the request body to send again has %d bytes, not %d", n, size)
	}
	br := &bodyReader{r: r}
	s.cur.Store(br)
	return io.NopCloser(br), n, stripped, nil
}

func (c *Client) post(ctx context.Context, body io.Reader, size int64, p *amf.Packet, raw []byte) (*amf.Packet, error) {
	target := c.URL()
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	var replyDone func() *ReplyTimeoutError // with ReplyTimeout: the timer stopped, and whether it fired
	var replyStart func()
	if d := c.cfg.ReplyTimeout; d > 0 {
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		var (
			once  sync.Once
			mu    sync.Mutex
			timer *time.Timer
		)
		replyStart = func() {
			once.Do(func() {
				mu.Lock()
				timer = time.AfterFunc(d, func() { cancel(&ReplyTimeoutError{After: d}) })
				mu.Unlock()
			})
		}
		replyDone = func() *ReplyTimeoutError {
			mu.Lock()
			if timer != nil {
				timer.Stop()
			}
			mu.Unlock()
			var rt *ReplyTimeoutError
			errors.As(context.Cause(ctx), &rt)
			cancel(nil)
			return rt
		}
	}
	// Each request of the exchange (a redirect is followed within it)
	// timed from its own start (events.go).
	xt := newExchangeTimer(replyStart)
	ctx = httptrace.WithClientTrace(context.WithValue(ctx, exchangeTimerKey{}, xt), xt.trace())
	if p != nil {
		ctx = context.WithValue(ctx, stripKey{}, func() ([]byte, bool) { return c.withoutCredentials(p, raw) })
	}
	if _, ok := ctx.Value(heldBackKey{}).(*heldBack); !ok {
		ctx = context.WithValue(ctx, heldBackKey{}, &heldBack{})
	}

	var rc io.ReadCloser
	var br *bodyReader
	if mem, ok := body.(*bytes.Reader); ok && raw != nil && size <= tlsMismatchBody {
		// A packet in memory, which cannot fail to read, and no larger
		// than the TLS mismatch counts bytes for: net/http writes a
		// body it knows is in memory with its header, in one write (a
		// bench run's request took two, the header flushed first).
		rc = io.NopCloser(mem)
	} else if body != nil {
		br = &bodyReader{r: body}
		rc = io.NopCloser(br)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, rc)
	if err != nil {
		return nil, &HTTPError{Kind: ErrConnection, URL: redact(target), Err: err}
	}
	req.ContentLength = size
	if size == 0 {
		req.Body = http.NoBody
	}
	if raw != nil {
		// An encoded packet can be sent again on a 307/308 redirect.
		req.GetBody = func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(raw)), nil
		}
	}
	sa, _ := ctx.Value(streamAgainKey{}).(*streamAgain)
	if sa != nil && size > 0 {
		// A streamed body made again from its start (an upload's file
		// read again), not the rest of the one the redirect cut.
		req.GetBody = func() (io.ReadCloser, error) {
			rc, _, _, err := sa.body(false, size)
			return rc, err
		}
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if c.cfg.Referer != "" {
		req.Header.Set("Referer", c.cfg.Referer)
	}
	for k, vs := range c.cfg.Header {
		if http.CanonicalHeaderKey(k) == "Host" {
			if len(vs) > 0 {
				req.Host = vs[len(vs)-1]
			}
			continue
		}
		req.Header.Del(k)
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	via := c.proxyFor(req)
	if via != "" && c.proxyNoted.CompareAndSwap(false, true) {
		c.infof("the requests go through the proxy %s", via) // -v and -vv say so, once
	}
	c.events.OnRequest(&RequestEvent{HTTP: req, Packet: p, Body: raw})

	ev := &ResponseEvent{}
	reply, err := c.exchange(req, target, via, ev)
	if de := (*DecodeError)(nil); errors.As(err, &de) && ev.HTTP != nil && !ev.HTTP.Uncompressed {
		if ce := ev.HTTP.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "gzip") && !strings.EqualFold(ce, "identity") {
			// A body compressed otherwise than asked (deflate, br,
			// gzip twice) was read as it came: say so, not only
			// what its first bytes looked like. A request may name
			// its own Accept-Encoding (a header the caller gave):
			// then it asked for the encoding.
			de.Err = &encodingError{encoding: ce, asked: req.Header.Get("Accept-Encoding"), err: de.Err}
		}
	}
	if sa != nil {
		if last := sa.cur.Load(); last != nil {
			br = last // the body sent last, after a redirect
		}
	}
	if he := (*HTTPError)(nil); errors.As(err, &he) && he.Reason == ReasonBrokenOff && br != nil && br.n.Load() > tlsMismatchBody {
		// A TLS port breaks off at the first bytes: one that took
		// this much of the body read it as HTTP, and stopped.
		of := ""
		if size > 0 {
			of = fmt.Sprintf(" of %d MiB", size>>20)
		}
		he.Hint = fmt.Sprintf("the server broke off the connection after %d MiB%s of the request had gone out: it may refuse a request this large, or have stopped; check the gateway's log", br.n.Load()>>20, of)
	} else if errors.As(err, &he) && he.Reason == ReasonBrokenOff && br != nil && br.n.Load() > 0 && via == "" {
		// Broken off while a streamed body went out, too little of it
		// to tell a TLS port by: ask the port (a server that answered
		// before reading the whole body, a 307 or a refusal, and
		// closed, resets the connection, and its answer is lost).
		u, perr := url.Parse(strings.SplitN(he.URL, ", redirected from ", 2)[0])
		if perr == nil && u.Scheme == "http" {
			if isTLS, known := probeTLS(u); known && !isTLS {
				he.Hint = fmt.Sprintf("the server closed the connection while the request was being sent (%s of its body had gone out), and the port speaks no TLS: it answered before reading the whole request (a redirect or a refusal, which the closed connection lost) or stopped; try again, or check the gateway's log", nBytes(int(br.n.Load())))
			} else if known {
				he.Hint = "the port speaks TLS: try https:// instead of http://"
			}
		}
	}
	if replyDone != nil {
		var he *HTTPError
		if rt := replyDone(); rt != nil && err != nil && errors.As(err, &he) {
			// The context's cancellation, told as what it was.
			he.Kind, he.Err = ErrTimeout, rt
			he.Detail = strings.TrimSuffix(strings.TrimSuffix(he.Detail, "cancelled"), "; ")
			he.Hint = "the gateway started its reply but sends it too slowly"
		}
	}
	if n, first := c.jar.takeDropped(); n > 0 {
		c.warnf("ignored %s the gateway set, the first \"%s\": the client keeps at most %d", cookies(n), safetext.Escape(first, 80), MaxCookies)
	}
	if n, first := c.sized.takeLarge(); n > 0 {
		c.warnf("ignored %s the gateway set, the first \"%s\": a cookie's name and value may take at most %d bytes (larger ones are ignored from now on without a word)", cookies(n), safetext.Escape(first, 80), MaxCookieSize)
	}
	xt.finish(ev)
	if err != nil && br != nil && br.err != nil {
		// The body could not be read (a file that shrank while it was
		// sent): that, not the broken exchange it led to, is the error.
		err = &BodyError{Err: br.err}
	}
	ev.Err = err
	ev.Packet = reply
	c.events.OnResponse(ev)
	if err != nil {
		return nil, err
	}
	if ev.Skipped > 0 {
		c.warnSkipped(ev.Body[:ev.Skipped])
	}
	c.applyServerHeaders(reply)
	return reply, nil
}

func (c *Client) exchange(req *http.Request, target, via string, ev *ResponseEvent) (*amf.Packet, error) {
	where := redact(target)
	resp, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			if u, perr := url.Parse(ue.URL); perr == nil {
				where = failedAt(u, req.URL, where)
			}
		}
		return nil, throughProxy(c.classify(err, where, ""), via)
	}
	defer resp.Body.Close()
	ev.HTTP = resp
	if resp.Request != nil {
		where = failedAt(resp.Request.URL, req.URL, where)
	}

	var r io.Reader = resp.Body
	if !resp.Uncompressed && strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, &HTTPError{Kind: ErrConnection, URL: where, Detail: "reading the gzip-compressed reply", Err: err}
		}
		defer zr.Close()
		r = zr
	}

	if resp.StatusCode != http.StatusOK {
		if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); resp.StatusCode >= 300 && strings.EqualFold(mt, ContentType) {
			// Some gateways (AMFPHP, Zend) answer a fault with HTTP 500
			// and the fault in an AMF body, and some a redirect not
			// followed (no Location, or a streamed request) with their
			// reply: that body, when it is a packet, is the reply,
			// which the user is told came with that status; when it is
			// not, the status is the error.
			p, err := c.readReply(req, resp, r, where, ev)
			var de *DecodeError
			var he *HTTPError
			if errors.As(err, &de) || (errors.As(err, &he) && he.Kind == ErrEmptyBody) {
				b := ev.Body[:min(len(ev.Body), 4096)]
				ev.Body = b
				return nil, statusError(resp, where, b)
			}
			if err == nil && !c.errorStatusTold.Swap(true) {
				to := ""
				if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode < 400 {
					if u, perr := resp.Request.URL.Parse(loc); perr == nil {
						loc = u.Redacted()
					}
					to = fmt.Sprintf(" (a redirect to %s, not followed)", safetext.Escape(loc, 200))
				}
				c.events.OnNotice(Notice{Warning: true, Status: resp.StatusCode,
					Msg: fmt.Sprintf("the gateway answered HTTP %s%s with an AMF reply; it is read all the same (said once)", oneLine(resp.Status), to)})
			}
			return p, err
		}
		// Read a little of the body to show what the server said.
		b, _ := io.ReadAll(io.LimitReader(r, 4096))
		ev.Body = b
		return nil, statusError(resp, where, b)
	}
	if resp.ContentLength > c.maxBody && resp.Header.Get("Content-Encoding") == "" {
		return nil, c.tooLarge(where, fmt.Sprintf("Content-Length is %d bytes", resp.ContentLength))
	}
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if !strings.EqualFold(mt, ContentType) {
		got := ct
		if got == "" {
			got = "no Content-Type"
		}
		// Tolerant in what we read: PHP gateways that printed a notice
		// first, or misconfigured servers, send AMF as text/html. A body
		// that is a whole AMF packet is read, with a warning; anything
		// else (a login page, an error page) is refused.
		// A packet may also follow a notice that PHP printed first: look
		// for one in the first 64 KiB.
		b, rerr := io.ReadAll(io.LimitReader(r, min(c.maxBody+1, amf.MaxPacketPrefix+2)))
		if rerr == nil && (startsPacket(b) || maybePacketAfter(b)) {
			// It starts as a packet does, or one may follow: read the
			// rest, in its turn with the replies of a shared bound
			// (Config.Replies), as an AMF reply is read.
			rest := io.MultiReader(bytes.NewReader(b), r)
			release, err := c.cfg.Replies.hold(req.Context(), -1, &rest)
			if err != nil {
				return nil, c.classify(err, where, "waiting to read the reply")
			}
			defer release()
			b, rerr = readBody(rest, c.maxBody+1, -1)
		} else {
			rerr = errNotAMF
		}
		if rerr == nil && int64(len(b)) <= c.maxBody {
			if err := c.checkValues(b, where); err != nil {
				ev.Body = b
				return nil, err
			}
			p, derr := c.unmarshalReply(b)
			if derr != nil && !startsPacket(b) {
				var cut error
				if ev.Skipped, p, cut = c.findPacket(b); cut != nil {
					ev.Body = b
					return nil, &DecodeError{URL: where, Err: cut, Partial: c.partialReply(b[ev.Skipped:])}
				}
			}
			if p != nil {
				ev.Body = b
				what := "is an AMF packet"
				if ev.Skipped > 0 {
					what = "holds an AMF packet"
				}
				if ct == "" {
					c.warnf("the reply has no Content-Type (%s was expected); its body %s and is read as one", ContentType, what)
				} else {
					c.warnf("the reply's Content-Type is %s, not %s; its body %s and is read as one", oneLine(got), ContentType, what)
				}
				return p, nil
			}
		}
		b = b[:min(len(b), 4096)]
		ev.Body = b
		return nil, &HTTPError{Kind: ErrContentType, URL: where, Status: resp.Status,
			Detail:  "got " + got,
			Snippet: snippet(b, snippetBytes),
			Hint:    "check that the URL is the AMF gateway (the path matters), not a web page"}
	}
	return c.readReply(req, resp, r, where, ev)
}

// readReply reads and decodes the body of a reply whose Content-Type is
// AMF's, from r (resp.Body, or a gzip reader over it).
func (c *Client) readReply(req *http.Request, resp *http.Response, r io.Reader, where string, ev *ResponseEvent) (*amf.Packet, error) {
	sure := int64(-1) // Content-Length, when it is the body's
	if r == resp.Body && !resp.Uncompressed {
		sure = resp.ContentLength
	}
	release, err := c.cfg.Replies.hold(req.Context(), sure, &r)
	if err != nil {
		return nil, c.classify(err, where, "waiting to read the reply")
	}
	defer release()
	body, err := readBody(r, c.maxBody+1, sure)
	ev.Body = body
	if err != nil {
		return nil, c.classify(err, where, fmt.Sprintf("reading the reply (after %d bytes)", len(body)))
	}
	if int64(len(body)) > c.maxBody {
		ev.Body = body[:c.maxBody]
		return nil, c.tooLarge(where, "")
	}
	if len(body) == 0 {
		return nil, &HTTPError{Kind: ErrEmptyBody, URL: where, Status: resp.Status,
			Detail: "the gateway answered with no body",
			Hint:   "the method may have crashed the gateway; check its log"}
	}
	if err := c.checkValues(body, where); err != nil {
		return nil, err
	}
	p, err := c.unmarshalReply(body)
	if err != nil && !startsPacket(body) {
		// Text before the packet (a PHP notice, a byte order mark)?
		var q *amf.Packet
		var cut error
		if ev.Skipped, q, cut = c.findPacket(body); q != nil {
			return q, nil
		} else if cut != nil {
			return nil, &DecodeError{URL: where, Err: cut, Partial: c.partialReply(body[ev.Skipped:])}
		}
	}
	if err != nil {
		return nil, &DecodeError{URL: where, Err: err, Partial: c.partialReply(body)}
	}
	return p, nil
}

// ReplyTimeoutError is a reply that did not come whole within
// Config.ReplyTimeout of its first byte.
type ReplyTimeoutError struct{ After time.Duration }

func (e *ReplyTimeoutError) Error() string {
	return fmt.Sprintf("the reply did not come whole within %v of its first byte", e.After)
}

// Timeout reports true: it is a timeout.
func (e *ReplyTimeoutError) Timeout() bool { return true }

// failedAt is the URL an exchange's error names: where (the gateway URL
// asked, redacted), or, when a redirect took the request elsewhere, the
// URL that failed and where it came from: "URL, redirected from WHERE".
// Without it, a TLS failure at the host a gateway redirected to was told
// as the gateway's (with the hint to skip the check), and a refused
// connection there as the gateway's being down.
func failedAt(u, asked *url.URL, where string) string {
	if u == nil || asked == nil || u.String() == asked.String() {
		return where
	}
	return safetext.Escape(redact(u.String()), 300) + ", redirected from " + where
}

// partialReply decodes, of a reply packet that does not decode whole,
// the messages before the one that fails (each message is a reference
// context of its own, so they read the same alone); nil when no message
// decodes, or the envelope before them does not. The counts are not
// checked against the bytes left (amf.Reader.UncheckedCounts): a cut
// batch reply of many small messages holds fewer than 9 bytes for each
// message it counts, and the messages before the cut are still read.
func (c *Client) partialReply(body []byte) *amf.Packet {
	r := c.dec.NewReader(body, amf.AMF0)
	r.UncheckedCounts = true
	version, headers, err := r.ReadPacketStart()
	if err != nil {
		return nil
	}
	p := &amf.Packet{Version: version}
	for range headers {
		name, must, _, err := r.ReadHeaderStart()
		if err != nil {
			return nil
		}
		v, err := r.ReadValue()
		if err != nil {
			return nil
		}
		p.Headers = append(p.Headers, amf.Header{Name: name, MustUnderstand: must, Value: v})
	}
	n, err := r.ReadMessagesStart()
	if err != nil {
		return nil
	}
	for range n {
		target, response, _, err := r.ReadMessageStart()
		if err != nil {
			break
		}
		v, err := r.ReadValue()
		if err != nil {
			break
		}
		p.Messages = append(p.Messages, amf.Message{Target: target, Response: response, Value: v})
	}
	if len(p.Messages) == 0 {
		return nil
	}
	return p
}

// checkValues refuses a reply packet whose values would take more than
// MaxValueFactor times the reply size limit once decoded, estimated with
// a pass of the token Reader that builds nothing (package valuecost):
// 48 MB of nulls decoded to 1.8 GB, 31 MB of empty objects to 1.7 GB.
// A body of fewer bytes than the limit over the most a byte can cost is
// not looked at.
func (c *Client) checkValues(body []byte, where string) error {
	return c.checkValuesMode(c.dec, body, where)
}

// checkValuesMode is checkValues with the decoding mode m (one that
// reads a wrong count as the bytes say: recountFix).
func (c *Client) checkValuesMode(m *amf.DecMode, body []byte, where string) error {
	limit := MaxValueFactor * c.maxBody
	if int64(len(body))*valuecost.MaxPerByte <= limit {
		return nil
	}
	var cost int64
	if startsPacket(body) {
		cost = valuecost.Packet(m.NewReader(body, amf.AMF0))
	} else {
		// Text first (a PHP notice): the packets findPacket would try.
		for _, i := range amf.PacketStarts(body) {
			cost = max(cost, valuecost.Packet(m.NewReader(body[i:], amf.AMF0)))
		}
	}
	if cost <= limit {
		return nil
	}
	return &HTTPError{Kind: ErrTooLarge, URL: where,
		Detail: fmt.Sprintf("its %d bytes hold values that would take about %s once decoded; the limit is %d times the %d bytes a reply may have", len(body), valuecost.Text(cost), MaxValueFactor, c.maxBody)}
}

// errNotAMF marks a body that does not start as an AMF packet.
var errNotAMF = errors.New("not an AMF packet")

func (c *Client) tooLarge(where, detail string) error {
	return &HTTPError{Kind: ErrTooLarge, URL: where,
		Detail: strings.TrimPrefix(detail+"; ", "; ") + fmt.Sprintf("the limit is %d bytes", c.maxBody)}
}

func statusError(resp *http.Response, where string, body []byte) error {
	e := &HTTPError{Kind: ErrStatus, URL: where, Status: resp.Status, Snippet: snippet(body, snippetBytes)}
	switch code := resp.StatusCode; {
	case code >= 300 && code < 400:
		loc := resp.Header.Get("Location")
		if loc != "" {
			if u, err := resp.Request.URL.Parse(loc); err == nil {
				loc = u.Redacted()
			}
			e.Detail = "redirected to " + loc
			e.Hint = "a streamed request is not sent again; use the new location as the gateway URL if it is right"
		} else {
			// 304 Not Modified answers a conditional GET, 300 and a
			// redirect without a Location name nowhere to go: there
			// is nothing to send again, and no new URL to use.
			e.Hint = "that is no answer to an AMF call, and it names no other URL; check that the URL is the AMF gateway"
		}
	case code == http.StatusUnauthorized && resp.Request.URL.User != nil:
		e.Hint = "the server refused the user and password in the URL (user:password@): check them"
	case code == http.StatusUnauthorized && resp.Request.Header.Get("Authorization") != "":
		e.Hint = "the server refused the Authorization header sent: check it"
	case code == http.StatusUnauthorized:
		e.Hint, e.Reason = "the server wants HTTP authentication: put user:password@ in the URL or send an Authorization header", ReasonAuthWanted
	case code == http.StatusForbidden:
		// Not an authentication request: the server knows who asks,
		// or refuses whoever asks (a WAF, a path outside the gateway).
		e.Hint = "the server refuses this request: the credentials given may lack access, or the URL is not the gateway's"
	case code == http.StatusNotFound:
		e.Hint = "check the gateway URL's path"
	case code == http.StatusMethodNotAllowed:
		e.Hint = "the URL does not take POST requests; check that it is the AMF gateway"
	case code == http.StatusBadRequest && bytes.Contains(body, []byte("HTTP request to an HTTPS server")):
		// Go's TLS servers answer plain HTTP so.
		e.Hint = "the port speaks TLS: try https:// instead of http://"
	case code == http.StatusBadRequest:
		e.Hint, e.Reason = "the gateway could not read the request; it may expect AMF3", ReasonBadRequest
	case code == http.StatusRequestEntityTooLarge:
		e.Hint = "the gateway, or a proxy in front of it, takes no request this large: send less, or raise its limit (its reply may name it)"
	case code == http.StatusNotImplemented:
		e.Hint = "the server does not take this request (a POST of application/x-amf); check that the URL is the AMF gateway"
	case code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout:
		// Often a proxy or load balancer in front of the gateway, or
		// a gateway over its budget (serve's 503 with Retry-After).
		e.Hint = "the gateway, or a proxy in front of it, is down or busy; try again later"
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			e.Hint += " (it says: Retry-After " + safetext.Escape(ra, 40) + ")"
		}
	case code >= 500:
		e.Hint = "the gateway failed; its reply or its log may say why"
	}
	return e
}

// proxyFor is the proxy the transport sends req through (Config.Proxy,
// or HTTPS_PROXY, HTTP_PROXY and NO_PROXY), its password hidden; "" for
// none.
func (c *Client) proxyFor(req *http.Request) string {
	if c.proxy == nil {
		return ""
	}
	u, err := c.proxy(req)
	if err != nil || u == nil {
		return ""
	}
	return RedactURL(u.String())
}

// throughProxy makes the failure of an exchange that went through the
// proxy via name it: a refused connection, a host not found or a
// connect timeout are then the proxy's, not the gateway's, and the hint
// says where the proxy comes from.
func throughProxy(err error, via string) error {
	var he *HTTPError
	if via == "" || !errors.As(err, &he) || errors.Is(err, ErrRedirect) {
		return err
	}
	if errors.Is(err, ErrConnection) && isRefused(err) {
		// "proxyconnect tcp: dial tcp ...: connection refused": the
		// proxy refused, as plainly as a gateway that does.
		he.Kind, he.Err = ErrRefused, nil
	}
	d := "through the proxy " + via
	if he.Detail != "" {
		d += "; " + he.Detail
	}
	he.Detail = d
	switch {
	case errors.Is(err, ErrRefused):
		he.Hint, he.Reason = "is the proxy running? check its host and port", ReasonProxyRefused
	case errors.Is(err, ErrDNS):
		he.Hint, he.Reason = "check the proxy's host name", ReasonProxyDNS
	case errors.Is(err, ErrConnection):
		he.Hint, he.Reason = "check the proxy", ReasonProxy
	}
	return he
}

// classify turns an error of http.Client.Do or of reading the body into
// an *HTTPError of the right kind.
func (c *Client) classify(err error, where, doing string) error {
	var he *HTTPError
	if errors.As(err, &he) {
		return he
	}
	e := &HTTPError{URL: where, Detail: doing}
	var idleErr *IdleTimeoutError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind = ErrConnection
		e.Detail = strings.TrimPrefix(doing+"; ", "; ") + "cancelled"
		return e
	case errors.As(err, &hostErr):
		// The names are checked before the chain: the certificate may
		// be trusted or not, but it is not for this host.
		e.Kind = ErrTLS
		e.Err = safeCertError(unwrapURLError(err))
		e.Hint = certNamesHint(hostErr)
		return e
	case errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &invalid):
		e.Kind = ErrTLS
		e.Err = unwrapURLError(err)
		e.Hint, e.Reason = "the server's certificate is not trusted", ReasonNotTrusted
		return e
	case errors.As(err, &recErr) || strings.Contains(err.Error(), "HTTP response to HTTPS client"):
		e.Kind = ErrTLS
		e.Err = unwrapURLError(err)
		e.Hint = "the server does not speak TLS on this port: try http:// instead of https://"
		return e
	case errors.As(err, &opErr) && opErr.Op == "remote error":
		// The server's TLS alert (crypto/tls gives it so; AlertError
		// is QUIC's): it refused something of ours, which skipping
		// our check of its certificate does not change.
		e.Kind = ErrTLS
		e.Err = unwrapURLError(err)
		e.Hint = "the server refused the TLS handshake: it may want a client certificate (amfcall sends none), or a TLS version or cipher suite that Go does not offer"
		return e
	case errors.As(err, &alert):
		e.Kind = ErrTLS
		e.Err = unwrapURLError(err)
		e.Hint, e.Reason = "the TLS handshake failed", ReasonHandshake
		return e
	case errors.As(err, &dnsErr):
		e.Kind = ErrDNS
		e.Err = dnsErr
		e.Hint = "check the host name in the gateway URL"
		return e
	case errors.As(err, &idleErr):
		e.Kind = ErrTimeout
		e.Err = idleErr
		e.Hint = "the gateway stopped answering"
		return e
	case isTimeout(err):
		e.Kind = ErrTimeout
		if errors.As(err, &opErr) && opErr.Op == "dial" && c.cfg.ConnectTimeout > 0 &&
			(c.timeout <= 0 || c.cfg.ConnectTimeout < c.timeout) {
			e.Detail = fmt.Sprintf("no connection within %v", c.cfg.ConnectTimeout)
			e.Hint, e.Reason = "check the host and port, or raise the connect timeout", ReasonConnectTimeout
		} else {
			e.Detail = strings.TrimPrefix(doing+"; ", "; ") + fmt.Sprintf("no complete reply within %v", c.timeout)
			e.Hint = "the gateway is slow or stuck"
		}
		return e
	case errors.As(err, &opErr) && opErr.Op == "dial":
		e.Err = opErr.Err
		if isRefused(err) {
			e.Kind = ErrRefused
			e.Err = nil
			e.Hint = "is the gateway running? check the host and port in the URL"
		} else {
			e.Kind = ErrConnection
			e.Hint = "check the host and port in the URL, and any proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)"
		}
		return e
	case strings.Contains(err.Error(), "server response headers exceeded"):
		// The limit on a reply's header fields (MaxHeaderBytes): nothing
		// failed to connect, the server sent too much.
		e.Kind = ErrTooLarge
		e.Detail = strings.TrimPrefix(doing+"; ", "; ") + fmt.Sprintf("the reply's HTTP header fields exceed the %s read of them", sizeWords(c.maxHeader))
		e.Hint, e.Reason = "the server is not answering as an AMF gateway does; check the URL", ReasonHeaderTooLarge
		return e
	case doing == "" && h2HeaderListRefused(err):
		// The same limit over HTTP/2, where net/http's words were
		// "connection error: PROTOCOL_ERROR", with the hint "try again".
		e.Kind = ErrTooLarge
		e.Detail = fmt.Sprintf("the reply's HTTP/2 header fields were refused (PROTOCOL_ERROR): most likely they exceed the %s read of them", sizeWords(c.maxHeader))
		if strings.Contains(err.Error(), "larger than advertised limit") {
			e.Detail = fmt.Sprintf("the reply's HTTP header fields exceed the %s read of them (HTTP/2)", sizeWords(c.maxHeader))
		}
		e.Hint, e.Reason = "the server is not answering as an AMF gateway does; check the URL", ReasonHeaderTooLarge
		return e
	case strings.HasPrefix(where, "http://") && tlsAnswer(err):
		// A TLS record (an alert, a handshake) where an HTTP status
		// line was due: the port speaks TLS.
		e.Kind = ErrTLS
		e.Err = unwrapURLError(err)
		e.Hint = "the server answered in TLS: try https:// instead of http://"
		return e
	case strings.HasPrefix(where, "http://") && brokenOff(err):
		// What a TLS server that finds no TLS record often does: reset
		// or close while the request is still written (net/http then
		// reports the write, on a connection its reader closed).
		e.Kind = ErrConnection
		e.Err = unwrapURLError(err)
		e.Hint = "the server broke off the connection: if the port speaks TLS, try https:// instead of http://; else check the gateway's log"
		e.Reason = ReasonBrokenOff
		return e
	case doing == "" && errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
		// Closed before a byte of reply (curl's "Empty reply from
		// server"): over http://, what the TLS servers of Java, Python
		// and openssl do with a request that is no TLS record.
		e.Kind = ErrConnection
		e.Detail = "the server closed the connection without a reply"
		e.Hint = "the gateway may have crashed; try again or check its log"
		if strings.HasPrefix(where, "http://") {
			e.Hint = "if the port speaks TLS, try https:// instead of http://; if it is an AMF Socket server's, it speaks frames, not HTTP; else the gateway may have crashed: check its log"
		}
		return e
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		e.Kind = ErrConnection
		e.Detail = strings.TrimPrefix(doing+"; ", "; ") + "the connection closed before the reply was complete"
		e.Hint = "the gateway may have crashed; try again or check its log"
		return e
	}
	e.Kind = ErrConnection
	e.Err = unwrapURLError(err)
	e.Hint = "the connection failed; try again, or check the gateway's log"
	return e
}

// tlsAnswer reports whether net/http found a TLS record where an HTTP
// reply should start: "malformed HTTP response" of bytes 0x15 (an alert)
// or 0x16 (a handshake), then 0x03, TLS's major version.
func tlsAnswer(err error) bool {
	msg := err.Error()
	i := strings.Index(msg, `malformed HTTP response "`)
	if i < 0 {
		return false
	}
	rest := msg[i+len(`malformed HTTP response "`):]
	return strings.HasPrefix(rest, `\x15\x03`) || strings.HasPrefix(rest, `\x16\x03`)
}

// certNameError is crypto/x509's HostnameError told without the names
// the certificate holds: x509's message lists up to 99 of them as the
// server wrote them, and a DNS name is any ASCII, newlines included (a
// name "x\namfcall: hint: ..." printed a line of its own that read as
// amfcall's hint). The hint (certNamesHint) names them, escaped and cut.
type certNameError struct {
	host string
	err  error
}

func (e *certNameError) Error() string {
	return "tls: the certificate is not valid for " + safetext.Escape(e.host, 100)
}

func (e *certNameError) Unwrap() error { return e.err }

// safeCertError is err, or, when it is a certificate that is not for the
// host asked, a certNameError that wraps it (errors.As still finds the
// x509.HostnameError).
func safeCertError(err error) error {
	var hostErr x509.HostnameError
	if err == nil || !errors.As(err, &hostErr) {
		return err
	}
	return &certNameError{host: hostErr.Host, err: err}
}

// certNamesHint says which hosts a certificate is for, when the URL's
// host is none of them.
func certNamesHint(e x509.HostnameError) string {
	list, n := CertNames(e)
	host := safetext.Escape(e.Host, 100)
	if n == 0 {
		return "the server's certificate names no host (a Common Name is not checked), so not " + host
	}
	return "the server's certificate is for " + list + ", not " + host
}

// CertNames lists the host names and IP addresses a certificate is for,
// each made safe for a terminal: at most four, then how many in all. n
// is how many it names.
func CertNames(e x509.HostnameError) (list string, n int) {
	var names []string
	if c := e.Certificate; c != nil {
		names = append(names, c.DNSNames...)
		for _, ip := range c.IPAddresses {
			names = append(names, ip.String())
		}
	}
	n = len(names)
	names = names[:min(n, 4)]
	for i, name := range names {
		names[i] = safetext.Escape(name, 100)
	}
	list = strings.Join(names, ", ")
	if n > 4 {
		list += fmt.Sprintf(", ... (%d names)", n)
	}
	return list, n
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "refused")
}

// checkRedirect follows a redirect only when it re-sends the same POST
// (307, 308); Go's client would otherwise turn a POST into a bodiless GET.
// It never follows https to http. To another host (scheme, host or port)
// it sends neither the credentials (the AMF Credentials header, taken out
// of the packet) nor the custom header fields nor the Referer Go's client
// adds (the URL it comes from; Config.Referer is sent), unless
// Config.LocationTrusted says so; then it sends them all, including the
// Authorization and Cookie fields that Go's client drops.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if xt, ok := req.Context().Value(exchangeTimerKey{}).(*exchangeTimer); ok {
		xt.redirected(req.Response) // the next request is timed on its own
	}
	first := via[0]
	where := redact(first.URL.String())
	status := ""
	if req.Response != nil {
		status = req.Response.Status
	}
	if req.Method != first.Method {
		return &HTTPError{Kind: ErrRedirect, URL: where, Status: status,
			Detail: "the gateway redirects to " + req.URL.Redacted() + ", which would turn the POST into a " + req.Method,
			Hint:   "use the new location as the gateway URL if it is right"}
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return &HTTPError{Kind: ErrRedirect, URL: where, Status: status,
			Detail: "the gateway redirects to " + req.URL.Redacted() + ": only http and https locations are followed",
			Hint:   "the gateway's redirect is wrong; check the gateway URL"}
	}
	if downgrade(first.URL, req.URL) {
		return &HTTPError{Kind: ErrRedirect, URL: where, Status: status, Reason: ReasonDowngrade,
			Detail: "refusing to follow a redirect from https to " + req.URL.Redacted(),
			Hint:   "use the new location as the gateway URL if you mean to send it there in the clear"}
	}
	if err := checkSecretRedirect(origin(req.URL), origin(first.URL), req.URL.Redacted(), req.Context().Value(secretBodyKey{}) != nil, where, status); err != nil {
		return err
	}
	if len(via) >= maxRedirects {
		return &HTTPError{Kind: ErrRedirect, URL: where, Status: status,
			Detail: fmt.Sprintf("stopped after %d redirects (last to %s)", maxRedirects, req.URL.Redacted())}
	}
	// One line per hop at -v, as curl -v has: where the request goes,
	// and, to another host, what of the credentials goes with it (a
	// hop that holds something back is told by the warning below,
	// which names it, whatever the verbosity).
	hop := "following the redirect"
	if status != "" {
		hop += " (HTTP " + status + ")"
	}
	hop += " to " + req.URL.Redacted()
	if SameOrigin(first.URL, req.URL) {
		c.events.OnNotice(Notice{Kind: NoticeRedirect, Msg: hop})
		return nil
	}
	if c.cfg.LocationTrusted {
		for k, vs := range c.cfg.Header {
			if http.CanonicalHeaderKey(k) != "Host" {
				req.Header[http.CanonicalHeaderKey(k)] = vs
			}
		}
		c.events.OnNotice(Notice{Kind: NoticeRedirect, Msg: hop + ", another host: sending it the credentials and header fields given too, as trusted"})
		return nil
	}
	var dropped []string
	for k := range c.cfg.Header {
		k = http.CanonicalHeaderKey(k)
		if k == "Host" || k == "Content-Type" {
			continue
		}
		if _, ok := req.Header[k]; ok || k == "Authorization" || k == "Cookie" {
			dropped = append(dropped, k)
		}
		req.Header.Del(k)
		if k == "User-Agent" {
			req.Header.Set(k, c.cfg.UserAgent)
		}
	}
	if strip, ok := req.Context().Value(stripKey{}).(func() ([]byte, bool)); ok {
		if body, changed := strip(); changed {
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.ContentLength = int64(len(body))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			dropped = append(dropped, "the AMF Credentials header")
			if hb, ok := req.Context().Value(heldBackKey{}).(*heldBack); ok {
				hb.set(req.URL.Redacted())
			}
		}
	}
	if sa, ok := req.Context().Value(streamAgainKey{}).(*streamAgain); ok && req.Body != nil && req.Body != http.NoBody {
		// A streamed body (an upload) made again without its
		// credentials.
		body, n, stripped, err := sa.body(true, req.ContentLength)
		if err != nil {
			return &HTTPError{Kind: ErrRedirect, URL: where, Status: status,
				Detail: "the request could not be made again for the redirect to " + req.URL.Redacted(), Err: err}
		}
		if stripped {
			req.Body, req.ContentLength = body, n
			// The body net/http makes again for this request (a retry
			// of it, HTTP/2's REFUSED_STREAM) is this one too, not the
			// first's, which holds the credentials (as the strip of a
			// packet in memory above sets it).
			req.GetBody = func() (io.ReadCloser, error) {
				rc, again, _, err := sa.body(true, n)
				if err == nil && again != n {
					return nil, fmt.Errorf("the request body to send again has %d bytes, not %d", again, n)
				}
				return rc, err
			}
			dropped = append(dropped, "the AMF Credentials header")
			if hb, ok := req.Context().Value(heldBackKey{}).(*heldBack); ok {
				hb.set(req.URL.Redacted())
			}
		} else {
			req.Body = body
		}
	}
	// The cookie jar gives each origin only the cookies it set (see
	// recordingJar): said, as the fields held back are.
	if c.jar != nil && c.jar.withheld(req.URL) {
		dropped = append(dropped, "the cookies of "+origin(first.URL))
	}
	// Go's client names the URL it comes from in a Referer header (a
	// gateway URL may hold a token); another host gets only the Referer
	// the user set.
	if c.cfg.Referer != "" {
		req.Header.Set("Referer", c.cfg.Referer)
	} else {
		req.Header.Del("Referer")
	}
	// The user and password of the gateway URL (http://bob:pw@host/)
	// become Go's Authorization on that URL only: the new host gets none
	// (nor does it with LocationTrusted, which sends what the flags
	// gave); said, as the dropped fields are, so that a 401 from there is
	// understood.
	if u := first.URL.User; u != nil && u.Username() != "" && req.URL.User == nil && !slices.Contains(dropped, "Authorization") {
		dropped = append(dropped, "the user and password of the URL")
	}
	if len(dropped) > 0 {
		slices.Sort(dropped)
		msg := fmt.Sprintf("the gateway redirects to another host (%s): not sending %s there", req.URL.Redacted(), strings.Join(dropped, ", "))
		key := origin(req.URL) + " " + strings.Join(dropped, ", ") // (the same host at another path too)
		c.mu.Lock()
		said := c.heldBackSaid[key]
		if !said {
			if c.heldBackSaid == nil {
				c.heldBackSaid = map[string]bool{}
			}
			c.heldBackSaid[key] = true
		}
		c.mu.Unlock()
		if !said {
			c.warnf("%s", msg)
		}
	} else {
		c.events.OnNotice(Notice{Kind: NoticeRedirect, Msg: hop + ", another host: nothing to hold back (no credentials, cookies or header fields were given for the first)"})
	}
	return nil
}

// origin is the scheme, host and port of u.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return u.Scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// heldBackKey keys, in a request's context, the *heldBack that
// checkRedirect fills in when it takes the AMF Credentials header out of
// the body for another host, for Batch to put on the faults it returns.
type heldBackKey struct{}

// heldBack is where a redirect last held back the credentials.
type heldBack struct {
	mu sync.Mutex
	to string
}

func (h *heldBack) set(to string) {
	h.mu.Lock()
	h.to = to
	h.mu.Unlock()
}

func (h *heldBack) get() string {
	if h == nil {
		return ""
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.to
}

// stripKey keys, in a request's context, the function that gives the
// request body without its credentials, for a redirect to another host.
type stripKey struct{}

// withoutCredentials returns p encoded without its Credentials header,
// and whether there was one to take out.
func (c *Client) withoutCredentials(p *amf.Packet, raw []byte) ([]byte, bool) {
	if p == nil {
		return raw, false
	}
	q := *p
	q.Headers = nil
	for _, h := range p.Headers {
		if h.Name != "Credentials" {
			q.Headers = append(q.Headers, h)
		}
	}
	if len(q.Headers) == len(p.Headers) {
		return raw, false
	}
	b, err := c.enc.AppendPacket(nil, &q)
	if err != nil {
		return nil, true // sent as an empty body: never the credentials
	}
	return b, true
}

// encodingError is a reply that did not decode and came compressed with
// a Content-Encoding the client does not decode (it asks for gzip only).
type encodingError struct {
	encoding string
	asked    string // the request's own Accept-Encoding, if it had one
	err      error
}

func (e *encodingError) Error() string {
	if e.asked != "" {
		return fmt.Sprintf("the body came with Content-Encoding \"%s\", which the request's own Accept-Encoding header (\"%s\") allowed, and which amfcall does not decode (it decodes gzip only); read as it came: %v",
			safetext.Escape(e.encoding, 80), safetext.Escape(e.asked, 80), e.err)
	}
	return fmt.Sprintf("the body came with Content-Encoding \"%s\", which amfcall did not ask for (it asks for gzip only) and does not decode; read as it came: %v",
		safetext.Escape(e.encoding, 80), e.err)
}

func (e *encodingError) Unwrap() error { return e.err }

// bodyReader keeps the first error, other than io.EOF, of a request body,
// and counts the bytes read from it (by the transport's goroutine).
type bodyReader struct {
	r   io.Reader
	err error
	n   atomic.Int64
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n.Add(int64(n))
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

// tlsProbeTimeout bounds probeTLS.
const tlsProbeTimeout = 2 * time.Second

// probeTLS tells whether the server at u, an http:// URL whose
// connection broke off, speaks TLS: it connects to the port again and
// starts a TLS handshake, sending a ClientHello and nothing else (no
// certificate is checked: nothing is sent over it). isTLS when the port
// answers in TLS (a ServerHello, an alert); not when it answers with
// bytes that are no TLS record (an HTTP server's 400) or closes; known
// is false when it cannot tell (no connection, no answer in time).
func probeTLS(u *url.URL) (isTLS, known bool) {
	port := u.Port()
	if port == "" {
		port = "80"
	}
	ctx, cancel := context.WithTimeout(context.Background(), tlsProbeTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return false, false
	}
	defer conn.Close()
	err = tls.Client(conn, &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: true}).HandshakeContext(ctx)
	var rh tls.RecordHeaderError
	var ne net.Error
	switch {
	case err == nil:
		return true, true
	case errors.As(err, &rh), errors.Is(err, io.EOF), brokenOff(err):
		return false, true
	case errors.As(err, &ne) && ne.Timeout(), ctx.Err() != nil:
		return false, false
	}
	return true, true // an alert, a handshake that went wrong: TLS
}

// tlsMismatchBody is more of a request's body than the transport can
// read out before a TLS server's reset comes back, the first bytes of an
// HTTP request not being TLS: the window of a server that reads nothing
// more (some 64 KiB) plus what the sending side buffers (the socket's
// send buffer, up to 4 MiB on Linux; the transport's own).
const tlsMismatchBody = 8 << 20

// brokenOff tells whether the peer reset or closed the connection under
// a read or a write.
func brokenOff(err error) bool {
	return connreset.Is(err) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

// cookies is "1 cookie" or "N cookies".
func cookies(n int) string {
	if n == 1 {
		return "1 cookie"
	}
	return strconv.Itoa(n) + " cookies"
}

// h2HeaderListRefused reports whether err, from sending a request, is
// Go's HTTP/2 client refusing the header list of the reply: over the
// limit within a frame ("response header list larger than advertised
// limit"), or by a frame that goes over it by much, which it tells as
// a bare connection error PROTOCOL_ERROR (the same words as a
// CONTINUATION frame after an invalid field: the size is by far the
// likelier, and other protocol errors say more).
func h2HeaderListRefused(err error) bool {
	msg := err.Error()
	return strings.HasSuffix(msg, "http2: response header list larger than advertised limit") ||
		strings.HasSuffix(msg, ": connection error: PROTOCOL_ERROR") || msg == "connection error: PROTOCOL_ERROR"
}
