package convert

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// The files under testdata/external were copied from other projects'
// sources (tests that keep real captures and files as hex or byte
// arrays); each directory's PROVENANCE.md says where from and what the
// source says they hold. None was written by amfcall. Each case pins the
// plain JSON, checked by hand against what the source states, the
// warnings, and the typed round trip back to the same bytes where
// json-mapping.md promises it; dump must explain the same bytes with the
// same outcome.

type externalCase struct {
	file  string
	to    string         // the format of the byte-exact typed round trip; "" for none
	plain string         // the plain JSON, compact, one line per value
	has   []string       // parts of the plain JSON, when it is not given whole
	count map[string]int // how often each string is in the plain JSON
	typed []string       // parts of the typed JSON
	warns []string       // what Warn is told, in order
	err   string         // the error the file gives, when it gives one
}

var externalCases = []externalCase{
	// Flash Player for Linux's settings.sol (gnash's test_sol.cpp): gain
	// first, defaultmicrophone "/dev/input/mic" third, defaultalways
	// sixth, trustedPaths tenth; the values of its writer test.
	{file: "gnash/flashplayer-settings.sol", to: "sol",
		plain: `{"sol":"settings","version":0,"data":{"gain":50,"echosuppression":false,"defaultmicrophone":"/dev/input/mic","defaultcamera":"","defaultklimit":100,"defaultalways":false,"crossdomainAllow":true,"crossdomainAlways":true,"allowThirdPartyLSOAccess":true,"trustedPaths":{},"localSecPath":"","localSecPathTime":1197511606830}}`},
	// An FLV's onMetaData written by Flash Media Server 3.0: an ECMA
	// array of 6 members whose count says 0 (kept as $count, so the
	// round trip is exact).
	{file: "gnash/fms3-onmetadata.amf0", to: "amf0",
		plain: `"onMetaData"` + "\n" + `{"duration":235.442,"videocodecid":2,"audiocodecid":2,"canSeekToEnd":false,"createdby":"FMS 3.0","creationdate":"Tue Jun 24 08:03:48 2008"}`},
	// Three batched AMF0 calls (gnash's test_amfmsg.cpp): the first
	// number is 0x1043872.
	{file: "gnash/getway-batch.amf", to: "packet",
		plain: `{"version":0,"headers":[],"messages":[{"target":"getway","response":"/229","value":[17053810]},{"target":"getway","response":"/230","value":[17054624]},{"target":"getway","response":"/231","value":[17054414]}]}`},
	// A Wowza live repeater's connect command object.
	{file: "pexrtmpserver/wowza-connect.amf0", to: "amf0",
		plain: `{"app":"pexip/_definst_","flashVer":"WIN 10,0,12,36","swfUrl":"WowzaProLiveRepeater","tcUrl":"rtmp://localhost:1935/pexip/_definst_","fpad":false,"audioCodecs":3191,"videoCodecs":252,"pageUrl":null,"sendChunkSize":4096,"liveRepeaterCapabilities":1}`},
	// FFmpeg's onMetaData for an iMovie file: the QuickTime artwork tag
	// is 4 bytes of JPEG, not UTF-8. Plain JSON reads it as
	// windows-1252 and says so once; typed JSON keeps the bytes.
	{file: "pexrtmpserver/issue20402-lavf57-artwork.amf0", to: "amf0",
		plain: `{"duration":0,"width":1280,"height":720,"videodatarate":7003.955078125,"framerate":30,"videocodecid":7,"audiodatarate":223.66796875,"audiosamplerate":44100,"audiosamplesize":16,"stereo":true,"audiocodecid":10,"major_brand":"qt  ","minor_version":"0","compatible_brands":"qt  ","com.apple.quicktime.is-montage":"iMovie","com.apple.quicktime.artwork":"ÿØÿà","encoder":"Lavf57.83.100","filesize":0}`,
		warns: []string{`1 string is not UTF-8 (the first at "/com.apple.quicktime.artwork"): printed as windows-1252 text; the typed form keeps the bytes ({"$latin1": ...})`}},
	// Flash-written .sol files of rust-flash-lso's tests, as a decoder's
	// test keeps them: the values it states, and what typed JSON keeps
	// for the bytes to come back (a date's zone, ECMA counts, a class).
	{file: "flash-lso/AS2-Number-Demo.sol", to: "sol",
		plain: `{"sol":"AS2-Number-Demo","version":0,"data":{"myFloat":3.141592653589793}}`},
	{file: "flash-lso/AS2-Date-Demo.sol", to: "sol",
		plain: `{"sol":"AS2-Date-Demo","version":0,"data":{"myDate":"2014-09-02T10:23:03.774Z"}}`,
		typed: []string{`"myDate":{"$date":"2014-09-02T10:23:03.774Z","$tz":240}`}},
	{file: "flash-lso/AS2-TypedObject-Demo.sol", to: "sol",
		plain: `{"sol":"AS2-TypedObject-Demo","version":0,"data":{"myTypedObject":{"foo":"changed prop"}}}`,
		typed: []string{`"myTypedObject":{"$class":"AS2SolTestClass","foo":"changed prop"}`}},
	{file: "flash-lso/AS2-ECMAArray-Demo.sol", to: "sol",
		plain: `{"sol":"AS2-ECMAArray-Demo","version":0,"data":{"holeyArray":{},"emptyArray":{},"holeyArray2":{"1":"one"},"mixedArray":{"0":"first","1":"second","propertyA":"aaaa"},"myStringArray":{"one":"eins","two":"zwei"},"denseArray":{"0":"first","1":"second"}}}`,
		typed: []string{`"holeyArray":{"$ecma":{},"$count":15}`, `"holeyArray2":{"$ecma":{"1":"one"},"$count":2}`, `"myStringArray":{"$ecma":{"one":"eins","two":"zwei"},"$count":0}`}},
	{file: "flash-lso/AS3-Integer-Demo.sol", to: "sol",
		plain: `{"sol":"AS3-Integer-Demo","version":3,"data":{"myInt":7}}`},
	{file: "flash-lso/AS3-Array-Demo.sol", to: "sol",
		plain: `{"sol":"AS3-Array-Demo","version":3,"data":{"myIntArray":[1,2,3]}}`},
	{file: "flash-lso/AS3-ByteArray-Demo.sol", to: "sol",
		plain: `{"sol":"AS3-ByteArray-Demo","version":3,"data":{"myByteArray":"AAxIZWxsbyBXb3JsZCE="}}`},
	// Keys before and after a Dictionary, and 30 array items that are
	// nearly all string references: each of the three strings 11 times.
	{file: "flash-lso/StringTest.sol", to: "sol",
		has: []string{`{"sol":"StringTest","version":3,"data":{"exists":true,"testForThirdItem":"This is the third item","dictItem":[["testForFirstItem","This is the first item"]],"arrayItem":["This is the first item","This is the second item","This is the third item","This is the first item",`,
			`"This is the second item","This is the third item"],"objectItem":{"testForSecondItem":"This is the second item"}}}`},
		count: map[string]int{"This is the first item": 11, "This is the second item": 11, "This is the third item": 11},
		typed: []string{`"dictItem":{"$dictionary":[["testForFirstItem","This is the first item"]],"weakKeys":false}`}},
	// Games' own saves.
	{file: "flash-games/arenaMadnessGame2.sol", to: "sol",
		has: []string{`{"sol":"arenaMadnessGame2","version":0,"data":{"haveSaved":true,"dataTester":"FILE INTEGRITY INTACT","myCash":999999999,"teamLeader":{`,
			`"weaponArray":{"0":"ppk","1":"beretta","2":"glock20"}`, `"myHat":{"0":null}`, `"arenaWaves":0,"arenaKills":0,"newArena":true,"myArmorList":{}}}`},
		count: map[string]int{"storyProgressWorld0": 0}},
	{file: "flash-games/cubefield.sol", to: "sol",
		plain: `{"sol":"cubefield","version":0,"data":{"TopScore":22885}}`},
	{file: "flash-games/neaveAsteroids.sol", to: "sol",
		plain: `{"sol":"neaveAsteroids","version":0,"data":{"playerName":"ALE"}}`},
	// Flash Player 10's global settings as a Windows client wrote them.
	{file: "starloco/local-settings.sol", to: "sol",
		plain: `{"sol":"local/settings","version":0,"data":{"allow":false,"always":false,"allowsecure":false,"alwayssecure":false,"klimit":-2}}`},
	{file: "starloco/settings.sol", to: "sol",
		plain: `{"sol":"settings","version":0,"data":{"gain":50,"echosuppression":false,"defaultmicrophone":"","defaultcamera":"","defaultaudio":"","defaultklimit":100,"defaultalways":false,"crossdomainAllow":false,"crossdomainAlways":false,"secureCrossDomainCacheSize":-1,"allowThirdPartyLSOAccess":true,"trustedPaths":{},"safefullscreen":false,"disallowP2PUplink":false,"authorizedFeaturesExpiry":0,"lastTimePlayed":1788060407.596489,"domains":{"local":true,"127.0.0.1":true},"panel":1,"debuggerLocalhost":true,"debuggerMachine":"","debuggerDontShow":true,"windowlessDisable":false}}`},
	// The FluView Flash application's request to CDC's WebORB gateway,
	// as Delphi's scraper builds it for California: body [2, 1].
	{file: "delphi-flusurv/getepidata-ca.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/1","value":[{"source":"FluDataHandler.FluWorker","operation":"GetEIPData","headers":{"DSEndpoint":"my-amf","DSId":"4AD22876-D879-427D-98A3-EFF3C31550CF"},"body":[2,1],"clientId":null,"destination":"GenericDestination","messageId":"1A2B3C4D-5E6F-7081-92A3-B4C5D6E7F809","timeToLive":0,"timestamp":0}]}]}`},
	// A reply kept in an AMFPHP 2 gateway script: body length 0.
	{file: "amfphp-gateway/testconn-reply.amf", to: "packet",
		plain: `{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":"<<TESTCONN>>"}]}`,
		typed: []string{`"length":0`}},
	// A PHP game server's reply from Py3AMF issue 20, as far as the
	// index's excerpt holds it: cut inside the 497-byte news string.
	{file: "py3amf-issue20/reply-cut.amf",
		err: `amf0: length 497 exceeds the 278 bytes left: unexpected EOF within "/messages/0/value/news" at offset 230`},
	// A settings.sol made by hand that only starts like one: the error
	// names the header byte that is wrong.
	{file: "flash-permissions/settings.sol",
		err: `amf0: not a .sol file (want 00 BF, a length, then "TCSO" 00 04 00 00 00 00): 08 found instead of 00 at offset 15`},
	// A CORE5.sol written without its first 6 bytes.
	{file: "lexia/CORE5.sol",
		err: `amf0: not a .sol file (want 00 BF, a length, then "TCSO" 00 04 00 00 00 00): it starts with the signature, whose place is after 00 BF and the length: its first 6 bytes are missing at offset 0`},
	// A publisher's malformed @setDataFrame (pexrtmpserver's issue
	// 4512): an error at the byte where no reading fits, never a crash
	// or a guess.
	{file: "pexrtmpserver/issue4512-setdataframe.amf0",
		err: `amf0: length 15872 exceeds the 51 bytes left: unexpected EOF at offset 147`},
}

func TestExternalFiles(t *testing.T) {
	for _, tc := range externalCases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../testdata/external", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(tc.file)
			externalDump(t, data, name, tc.err)
			plain, warns, err := publicJSON(data, name, false)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if _, _, terr := publicJSON(data, name, true); terr == nil || terr.Error() != err.Error() {
					t.Errorf("typed JSON error %v, plain's %v", terr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(plain)); tc.has == nil && got != tc.plain {
				t.Errorf("plain JSON\n got %s\nwant %s", got, tc.plain)
			}
			for _, part := range tc.has {
				if !bytes.Contains(plain, []byte(part)) {
					t.Errorf("plain JSON lacks %s", part)
				}
			}
			for part, n := range tc.count {
				if got := bytes.Count(plain, []byte(part)); got != n {
					t.Errorf("plain JSON has %s %d times, want %d", part, got, n)
				}
			}
			if !slices.Equal(warns, tc.warns) {
				t.Errorf("warnings %q, want %q", warns, tc.warns)
			}
			typed, twarns, err := publicJSON(data, name, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(twarns) != 0 {
				t.Errorf("typed JSON warns %q: it keeps every byte", twarns)
			}
			for _, part := range tc.typed {
				if !bytes.Contains(typed, []byte(part)) {
					t.Errorf("typed JSON lacks %s", part)
				}
			}
			if tc.to == "" {
				return
			}
			back := renderAs(t, typed, "typed.json", tc.to)
			if !bytes.Equal(back, data) {
				t.Errorf("typed JSON -> %s gives other bytes (%d, want %d)\ntyped: %s", tc.to, len(back), len(data), typed)
			}
		})
	}
}

// externalDump: dump reads the file as convert guesses it, explains every
// byte once, in order, and fails where and only where convert does.
func externalDump(t *testing.T, data []byte, name, wantErr string) {
	t.Helper()
	src, err := Load(data, name, InSpec{})
	if src == nil || err != nil && wantErr == "" {
		t.Fatalf("Load: %v", err)
	}
	var in amf.DumpInput
	switch src.Kind {
	case KindPacket:
		in = amf.DumpPacket
	case KindSOL:
		in = amf.DumpSOL
	case KindFLV:
		in = amf.DumpFLV
	case KindSocket:
		in = amf.DumpFrames
	case KindValue:
		in = amf.DumpAMF3
		if src.Version == amf.AMF0 {
			in = amf.DumpAMF0
		}
	default:
		t.Fatalf("read as %v, not AMF", src.Kind)
	}
	d := amf.NewDump(data, in)
	var at int64
	for _, r := range d.Ranges {
		if r.Offset != at {
			t.Fatalf("dump range at %d, want %d (%q)", r.Offset, at, r.Text)
		}
		at += r.Length
	}
	if at != int64(len(data)) {
		t.Errorf("dump ranges end at %d of %d bytes", at, len(data))
	}
	switch {
	case wantErr == "" && d.Err != nil:
		t.Errorf("dump fails: %v", d.Err)
	case wantErr != "" && d.Err == nil:
		t.Errorf("dump reads it all; convert fails with %q", wantErr)
	case wantErr != "":
		// The same error at the same offset (the envelope's errors say
		// "amf" in a dump where convert says "amf0").
		var se *amf.SyntaxError
		if !errors.As(d.Err, &se) || !strings.Contains(wantErr, se.Err.Error()) || !strings.HasSuffix(wantErr, fmt.Sprintf(" at offset %d", se.Offset)) {
			t.Errorf("dump fails with %v, convert with %q", d.Err, wantErr)
		}
	}
}

// TestExternalFilesAllTested: no file under testdata/external goes
// untested.
func TestExternalFilesAllTested(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../testdata/external", func(p string, e os.DirEntry, err error) error {
		// .json and .js: npm-peers' descriptions and generator, not AMF.
		if err != nil || e.IsDir() || strings.HasSuffix(e.Name(), ".md") || strings.HasSuffix(e.Name(), ".json") || strings.HasSuffix(e.Name(), ".js") {
			return err
		}
		rel, _ := filepath.Rel("../testdata/external", p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !slices.ContainsFunc(externalCases, func(c externalCase) bool { return c.file == f }) {
			t.Errorf("%s has no case in externalCases", f)
		}
	}
	dirs, _ := filepath.Glob("../testdata/external/*")
	for _, d := range dirs {
		if strings.HasSuffix(d, ".md") {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "PROVENANCE.md")); err != nil {
			t.Errorf("%s has no PROVENANCE.md", d)
		}
	}
}
