package discover

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The cache of listed names: one small JSON file per gateway URL,
// {"url": ..., "targets": [...]}, in <user cache folder>/amfcall/list/,
// named by the SHA-256 of the URL (so no URL, which may hold a password,
// becomes a file name). Only [SaveTargets] writes it (amfcall list);
// [CachedTargets] reads it for shell completion and never touches the
// network.

// maxCacheFile bounds a cache file that is read (and written);
// maxCachedTargets the names kept per gateway, and maxCachedName the
// bytes of one name (longer ones are not kept).
const (
	maxCacheFile     = 1 << 20
	maxCachedTargets = 5000
	maxCachedName    = 256
)

type cacheFile struct {
	URL     string   `json:"url"`
	Targets []string `json:"targets"`
}

// cacheRoot is the cache folder; tests replace it.
var cacheRoot = os.UserCacheDir

// cachePath returns the cache file of a gateway URL.
func cachePath(gatewayURL string) (string, error) {
	root, err := cacheRoot()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(cacheKey(gatewayURL)))
	return filepath.Join(root, "amfcall", "list", hex.EncodeToString(sum[:16])+".json"), nil
}

// cacheKey is the URL as typed, less a trailing slash, so that
// "http://h/gw/" and "http://h/gw" share their names.
func cacheKey(u string) string { return strings.TrimRight(strings.TrimSpace(u), "/") }

// redacted is the URL with any password replaced, as the file keeps it
// (the file name, a hash of the whole URL, tells URLs apart).
func redacted(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return u
}

// SaveTargets writes the names a listing found for a gateway URL, for
// [CachedTargets]. The file is readable by its owner only and replaced
// atomically.
func SaveTargets(gatewayURL string, targets []string) error {
	path, err := cachePath(gatewayURL)
	if err != nil {
		return err
	}
	// The names are the gateway's: a file that CachedTargets would not
	// read (over maxCacheFile) is not written. Only names completion
	// would offer are kept, and as many as fit.
	url := redacted(cacheKey(gatewayURL))
	kept := make([]string, 0, min(len(targets), maxCachedTargets))
	size := 6*len(url) + 64 // JSON writes a byte in 6 at most (\u003c)
	for _, t := range targets {
		if len(kept) == maxCachedTargets {
			break
		}
		if len(t) > maxCachedName || !completable(t) {
			continue
		}
		if size += 6*len(t) + 3; size > maxCacheFile {
			break
		}
		kept = append(kept, t)
	}
	data, err := json.Marshal(cacheFile{URL: url, Targets: kept})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".list-*.tmp")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// CachedTargets returns the names that "amfcall list" last found for a
// gateway URL, or nil when there are none (or the cache cannot be read).
// It reads one small file and never uses the network, so shell completion
// can call it on every key press.
func CachedTargets(gatewayURL string) []string {
	path, err := cachePath(gatewayURL)
	if err != nil {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCacheFile+1))
	if err != nil || len(data) > maxCacheFile {
		return nil
	}
	var cf cacheFile
	if json.Unmarshal(data, &cf) != nil || cf.URL != redacted(cacheKey(gatewayURL)) {
		return nil
	}
	out := make([]string, 0, min(len(cf.Targets), maxCachedTargets))
	for _, t := range cf.Targets {
		if !completable(t) {
			continue
		}
		out = append(out, t)
		if len(out) == maxCachedTargets {
			break
		}
	}
	return out
}

// completable reports whether a name may be a completion candidate:
// names go to a shell, so printable, single-line ones only. Not
// printable: C0 and C1 controls (U+009B is a CSI to some terminals),
// bidi and other format characters (U+202E shows the line reversed),
// and separators other than the space.
func completable(t string) bool {
	return t != "" && utf8.ValidString(t) && !strings.ContainsFunc(t, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r >= 0x80 && !unicode.IsPrint(r)
	})
}
