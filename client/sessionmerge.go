package client

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// A --session file is read when a command starts and written when it
// ends, so two commands sharing one (a subscribe left running in one
// shell, a login in another) would each write back only what they knew:
// the last to end wiped out what the other had added, such as the cookie
// of a login. MergeSession is how a command that finds the file changed
// since it read it writes it back without undoing the other's work.

// MergeSession merges the session this run ends with (ours, as
// SaveSession gives it) into the session file as it now is on disk,
// given base, the file as the run read it at its start (nil or empty for
// a file that did not exist or was empty). What this run did not change
// is taken from disk; what it changed is taken from ours. The parts are
// the gateway URL and its rewrite, the Flex client (DSId, endpoint and
// login), the AMF headers the gateway asked for, and each cookie on its
// own. Clashes names the parts that both changed, each to its own
// value, where ours is kept (a cookie ours dropped, as expired, while
// disk set it again, is disk's). A disk or base file that cannot be read
// as a session is an error: the caller then writes ours as it is.
func MergeSession(base, disk, ours []byte) (merged []byte, clashes []string, err error) {
	var b, d, o sessionFile
	for _, f := range []struct {
		data []byte
		sf   *sessionFile
		what string
	}{{base, &b, "the session as read"}, {disk, &d, "the session file"}, {ours, &o, "this run's session"}} {
		if len(bytes.TrimSpace(f.data)) == 0 {
			continue
		}
		if err := json.Unmarshal(f.data, f.sf); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.what, err)
		}
	}
	out := d
	out.Version = sessionVersion
	pick := func(name string, part func(*sessionFile) any, take func()) {
		ob, db, bb := partKey(part(&o)), partKey(part(&d)), partKey(part(&b))
		if ob == bb {
			return // not changed by this run: disk's stands
		}
		if db != bb && db != ob {
			clashes = append(clashes, name)
		}
		take()
	}
	if !sameGateway(o.Gateway, d.Gateway) {
		// Another gateway's state: the parts belong together, so
		// they are taken all from one side.
		pick("the gateway and its Flex client and headers", func(s *sessionFile) any {
			c := *s
			c.Version, c.Cookies = 0, nil
			return c
		}, func() {
			cookies := out.Cookies
			out = o
			out.Cookies = cookies
		})
	} else {
		pick("the gateway URL rewrite", func(s *sessionFile) any { return [2]string{s.URL, s.Append} },
			func() { out.URL, out.Append = o.URL, o.Append })
		pick("the Flex client id (DSId) and login", func(s *sessionFile) any { return [3]string{s.DSId, s.Endpoint, s.FlexUser} },
			func() { out.DSId, out.Endpoint, out.FlexUser = o.DSId, o.Endpoint, o.FlexUser })
		pick("the AMF headers", func(s *sessionFile) any { return compactHeaders(s.Headers) },
			func() { out.Headers = o.Headers })
	}
	out.Cookies, clashes = mergeCookies(b.Cookies, d.Cookies, o.Cookies, clashes)
	if out.Headers == nil {
		out.Headers = []sessionHeader{}
	}
	if out.Cookies == nil {
		out.Cookies = []savedCookie{}
	}
	merged, err = json.MarshalIndent(&out, "", "  ")
	return merged, clashes, err
}

// partKey is a part of a session as comparable text.
func partKey(v any) string {
	b, _ := json.Marshal(v) // plain structs, strings and raw JSON
	return string(b)
}

// compactHeaders is hs with each value compacted, so that a file's
// layout does not count as a change; nil for none.
func compactHeaders(hs []sessionHeader) []sessionHeader {
	if len(hs) == 0 {
		return nil
	}
	out := make([]sessionHeader, len(hs))
	for i, h := range hs {
		var buf bytes.Buffer
		if json.Compact(&buf, h.Value) == nil {
			h.Value = buf.Bytes()
		}
		out[i] = h
	}
	return out
}

// cookieID identifies a saved cookie as the jar does: its name, path and
// domain, or the origin that set it for a host-only one.
func cookieID(c savedCookie) string {
	where := c.Domain
	if where == "" {
		where = "host " + c.URL
	}
	return c.Name + "\x00" + c.Path + "\x00" + where
}

// mergeCookies merges each cookie as MergeSession merges a part: disk's
// unless this run changed it (set, changed or removed), in disk's order,
// then ours' new ones in their order.
func mergeCookies(base, disk, ours []savedCookie, clashes []string) ([]savedCookie, []string) {
	index := func(cs []savedCookie) map[string]savedCookie {
		m := make(map[string]savedCookie, len(cs))
		for _, c := range cs {
			m[cookieID(c)] = c
		}
		return m
	}
	bm, dm, om := index(base), index(disk), index(ours)
	// resolve says whether the cookie id is kept, and as what.
	resolve := func(id string) (savedCookie, bool) {
		b, inB := bm[id]
		d, inD := dm[id]
		o, inO := om[id]
		if inO == inB && (!inO || partKey(o) == partKey(b)) {
			return d, inD // not changed by this run
		}
		diskChanged := inD != inB || (inD && partKey(d) != partKey(b))
		if !inO {
			// Removed (or expired) here: gone, unless disk set it
			// anew, which is newer than what this run dropped.
			if diskChanged && inD {
				return d, true
			}
			return savedCookie{}, false
		}
		if diskChanged && (!inD || partKey(d) != partKey(o)) {
			clashes = append(clashes, "the cookie "+o.Name)
		}
		return o, true
	}
	var out []savedCookie
	seen := map[string]bool{}
	for _, list := range [][]savedCookie{disk, ours} {
		for _, c := range list {
			id := cookieID(c)
			if seen[id] {
				continue
			}
			seen[id] = true
			if k, ok := resolve(id); ok {
				out = append(out, k)
			}
		}
	}
	return out, clashes
}

// SaveSessionOver is SaveSession for writing over disk, the session file
// as it is now (nil or empty when it is missing or empty): when disk is
// no longer the file LoadSession read (nor still missing or empty, when
// it read none), another command wrote it meanwhile, and the session
// returned is ours merged into it (MergeSession), with changed true and
// the parts both changed in clashes. A disk file that cannot be read as a
// session is replaced by ours, as before.
func (c *Client) SaveSessionOver(disk []byte) (data []byte, changed bool, clashes []string, err error) {
	ours, err := c.SaveSession()
	if err != nil {
		return nil, false, nil, err
	}
	c.mu.Lock()
	base := c.loaded
	c.mu.Unlock()
	// The file as LoadSession read it: a byte order mark blanked (or
	// cut, by an older caller), so compared without it or its blanks.
	disk = bytes.TrimLeft(bytes.TrimPrefix(disk, []byte("\xef\xbb\xbf")), " ")
	if len(bytes.TrimSpace(disk)) == 0 && len(bytes.TrimSpace(base)) == 0 || bytes.Equal(disk, bytes.TrimLeft(base, " ")) {
		return ours, false, nil, nil
	}
	merged, clashes, err := MergeSession(base, disk, ours)
	if err != nil {
		return ours, false, nil, nil
	}
	return merged, true, clashes, nil
}
