package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The files under testdata/public come from other projects' sources:
// captured requests and replies, other libraries' test vectors, .sol
// files of real applications (testdata/README.md says where each one is
// from and what wrote it). None was written by amfcall. Each case pins
// what the plain JSON says, checked by hand against what the source
// states the bytes decode to, and that the typed JSON gives the same
// bytes back.

type publicCase struct {
	file  string
	skip  int            // bytes before the AMF: read data[skip:]
	name  string         // the name it is read under, when not the file's
	to    string         // the format of the typed round trip; "" when it cannot be made
	plain string         // the plain JSON, compact, one line per value
	warns []string       // what Warn is told, in order
	has   []string       // parts of the plain JSON, when it is not given whole
	count map[string]int // how often each string is in the plain JSON
	err   string         // the error the file gives, when it gives one
}

var publicCases = []publicCase{
	// A Flash Player settings.sol (AMF0), as amf.js's LSO test reads it:
	// allow... false, klimit 100, hstsMaxAge "0".
	{file: "amf-js-settings/settings.sol", to: "sol",
		plain: `{"sol":"play.cprewritten.net/settings","version":0,"data":{"allow":false,"always":false,"allowsecure":false,"alwayssecure":false,"klimit":100,"hstsEnabled":false,"hstsMaxAge":"0","hstsIncSubDomain":false,"hstsStartTime":"0"}}`},
	// AdventureQuest Worlds' AQWUserPref.sol (AMF3), the layout Skua writes
	// for the game to read, with a made-up user.
	{file: "skua-aqw/AQWUserPref.sol", to: "sol",
		plain: `{"sol":"AQWUserPref","version":3,"data":{"quality":"MEDIUM","bitCheckedUsername":true,"bSoundOn":true,"bitCheckedPassword":true,"strUsername":"hero","bDeathAd":true,"strPassword":"secret1"}}`},
	// A Flex ping (CommandMessage operation 5) that a ColdFusion status
	// page posts to /flex2gateway/.
	{file: "cfflexcheck/flex-ping.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/1","value":[{"operation":5,"correlationId":"","messageId":"B173DE1E-A2D3-F526-C36F-C654E1AFEA2E","clientId":null,"timeToLive":0,"body":{},"headers":{"DSId":"nil","DSMessagingVersion":1},"destination":"","timestamp":0}]}]}`},
	// Requests of an Adobe AIR 20 application to a BlazeDS gateway.
	{file: "marinecircle/air20-ping.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/1","value":[{"operation":5,"correlationId":"","messageId":"0F3B6C2E-1D4A-4E5B-9C7D-8A9B0C1D2E3F","timeToLive":0,"headers":{"DSMessagingVersion":1,"DSId":"nil"},"timestamp":0,"body":{},"clientId":null,"destination":""}]}]}`},
	{file: "marinecircle/air20-login.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/2","value":[{"source":"com.stonesoft.client.flex.GlobalFlexClientAdapter","operation":"mobileDemoLogin","messageId":"0F3B6C2E-1D4A-4E5B-9C7D-8A9B0C1D2E3F","timeToLive":0,"headers":{"DSId":"5E1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8","DSEndpoint":null},"timestamp":0,"body":["Linux 3.4.80+"],"clientId":null,"destination":"globalservice"}]}]}`},
	{file: "marinecircle/air20-dict-query.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/1","value":[{"source":"com.stonesoft.client.flex.PAFlexClientAdapter","operation":"doBusiness","messageId":"0F3B6C2E-1D4A-4E5B-9C7D-8A9B0C1D2E3F","timeToLive":0,"headers":{"DSId":"5E1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8","DSRequestTimeout":20000,"DSEndpoint":null},"timestamp":0,"body":[{"FunctionID":null,"FuncMenuID":null,"OperID":null,"DictID":null,"DictTypeID":31003},""],"clientId":null,"destination":"goscp-paservice"}]}]}`},
	// JDownloader's requests to a BlazeDS gateway (member order of their
	// own: body before messageId).
	{file: "jdownloader/fileblaze-ping.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/1","value":[{"operation":5,"correlationId":"","body":{},"messageId":"0F3B6C2E-1D4A-4E5B-9C7D-8A9B0C1D2E3F","clientId":null,"timeToLive":0,"destination":"","headers":{"DSMessagingVersion":1,"DSId":"nil"},"timestamp":0}]}]}`},
	{file: "jdownloader/fileblaze-showfiles.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/2","value":[{"operation":"showFilesSet","source":null,"body":["0123456789abcdef0123456789abcdef"],"messageId":"0F3B6C2E-1D4A-4E5B-9C7D-8A9B0C1D2E3F","clientId":null,"timeToLive":0,"destination":"fileblazeShareService","headers":{"DSId":"5E1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8","DSEndpoint":null},"timestamp":0}]}]}`},
	// A Flex RemotingMessage to an AMFPHP gateway (thieme2pdf).
	{file: "thieme2pdf/amfphp-getbookmark2.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/7","value":[{"source":"db.getDB","operation":"getBookmark2","headers":{"DSId":"nil","DSEndpoint":"my-amfphp"},"body":["(9783131395818)"],"clientId":null,"timeToLive":0,"destination":"amfphp","timestamp":0,"messageId":"F1E6578B-510C-3A45-3EA0-DF31D7A9DE4E"}]}]}`},
	// Riot's League of Legends RTMP server: _result with an AMF0 typed
	// AcknowledgeMessage (LeagueRevealer's capture, chunks joined).
	{file: "leaguerevealer/riot-acknowledge-result.amf0", to: "amf0",
		plain: `"_result"` + "\n" + `9` + "\n" + `null` + "\n" +
			`{"headers":{"DSMessagingVersion":1,"DSId":"68C79537-871D-9E4C-200B-86D56E93481D"},"timeToLive":0,"clientId":"nil","destination":null,"messageId":"68C79548-9E0C-39FA-EE6A-D9D22EFA4B03","correlationId":"792240530-7","body":"success","timestamp":1677255370110}`},
	// FFmpeg (Lavf56.36.100) onMetaData and a Flash Player 15 connect
	// object (ttLibC's tests).
	{file: "ttlibc/lavf56-onmetadata.amf0", to: "amf0",
		plain: `"onMetaData"` + "\n" + `{"duration":131.665,"width":640,"height":360,"videodatarate":0,"framerate":29.97002997002997,"videocodecid":2,"audiodatarate":0,"audiosamplerate":44100,"audiosamplesize":16,"stereo":true,"audiocodecid":10,"encoder":"Lavf56.36.100","filesize":9869251}`},
	{file: "ttlibc/flash15-connect.amf0", to: "amf0",
		plain: `{"app":"live","flashVer":"WIN 15,0,0,223","tcUrl":"rtmp://49.212.39.17:1935/live","fpad":false,"audioCodecs":4071,"videoCodecs":252,"objectEncoding":0,"capabilities":15,"videoFunction":1}`},
	// lal's onMetaData (an object, not an ECMA array), with and without
	// @setDataFrame; lal's test finds width 1024, height 768, audiocodecid
	// 10, videocodecid 7, version "lal0.30.1".
	{file: "lal/metadata.amf0", to: "amf0",
		plain: `"onMetaData"` + "\n" + `{"width":1024,"height":768,"audiocodecid":10,"videocodecid":7,"version":"lal0.30.1"}`},
	{file: "lal/metadata-setdataframe.amf0", to: "amf0",
		plain: `"@setDataFrame"` + "\n" + `"onMetaData"` + "\n" + `{"width":1024,"height":768,"audiocodecid":10,"videocodecid":7,"version":"lal0.30.1"}`},
	// korge's AMF0 test: {name: "Mike", age: 30.0, alias: "Mike"}.
	{file: "korge/mike.amf0", to: "amf0",
		plain: `{"name":"Mike","age":30,"alias":"Mike"}`},
	// CyberChef's AMF Encode tests: the JSON each was encoded from. An
	// anonymous object written sealed (0x13: one sealed member) reads as
	// the dynamic one would (digest §7 #15); 1 was written as a double.
	{file: "cyberchef/encode-1.amf3", to: "amf3", plain: `{"a":"test"}`},
	{file: "cyberchef/encode-2.amf3", to: "amf3", plain: `{"a":true}`},
	{file: "cyberchef/encode-3.amf3", to: "amf3", plain: `{"a":false}`},
	{file: "cyberchef/encode-4.amf3", to: "amf3", plain: `{"a":null}`},
	{file: "cyberchef/encode-5.amf3", to: "amf3", plain: `{"a":[]}`},
	{file: "cyberchef/encode-6.amf3", to: "amf3", plain: `{"a":[true,false,null,"x",1]}`},
	// amf-ts's example: a game's player object (AMF3).
	{file: "amf-ts/player.amf3", to: "amf3",
		plain: `{"bt":"2026-02-10 10:54:23","conDay":100,"conObj":{"377":10,"376":20,"375":30},"dps":12345.67,"life":1000,"loginTime":"2026-02-10 10:54:23","lt":20,"lv":99,"militaryRank":"General","money":888888,"mp":"BeiDou","playerName":"TestPlayer","vip":"VIP10"}`},
	// flazr's RTMP AMF3 data message: a format byte 00, then AMF0 with
	// the object after 11; flazr's test reads it from the second byte.
	{file: "flazr/metadata-amf3-message.bin", skip: 1, name: "message.amf0", to: "amf0",
		plain: `"onMetaData"` + "\n" + `{"width":160,"id":0,"height":120}`},
	// JT1078.Flv's writer: onMetaData's ECMA array without its end
	// marker, read with a warning (the values its test wrote: duration
	// 7.221, filesize 2005421, framerate 29.16667, height 960,
	// videocodecid 7, videodatarate 0, width 544). The typed JSON
	// written back has the marker, so no round trip.
	{file: "jt1078/jt1078-onmetadata-size156.flv",
		plain: `{"flv":[{"tag":0,"timestamp":0,"name":"onMetaData","value":{"duration":7.221,"filesize":2005421,"framerate":29.16667,"height":960,"videocodecid":7,"videodatarate":0,"width":544}}]}`,
		warns: []string{`jt1078-onmetadata-size156.flv: tag 0 ("onMetaData"): the value ends with the tag's data, without its end marker 00 00 09; read as if the marker were there (an FLV written from the JSON has it)`}},
	// As the writer's test gives it, the tag also claims 4 bytes more
	// than there are: a script tag cut short stays an error.
	{file: "jt1078/jt1078-onmetadata.flv",
		err: "flv: tag 0: data size 160 exceeds the 156 bytes left: unexpected EOF at offset 14"},
	// Vitria M3O (a Flex client and its LiveCycle Data Services server,
	// October 2008), captured for an AMF tool's tests:
	// the Flex client's ping (CommandMessage 5).
	{file: "vitria/client-ping.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/1","value":[{"operation":5,"correlationId":"","headers":{"DSId":"nil"},"destination":"","timestamp":0,"body":{},"clientId":null,"timeToLive":0,"messageId":"F19AEA22-8447-DD95-8C7A-D6424E55E232"}]}]}`},
	// the server's answer: an AppendToGatewayUrl header (;jsessionid=...) and an AcknowledgeMessage in the standard form, response URI "" and length -1.
	{file: "vitria/ping-ack.amf", to: "packet",
		plain: `{"version":3,"headers":[{"name":"AppendToGatewayUrl","mustUnderstand":false,"value":";jsessionid=84133E0430A2F71E91D6C712F6814079"}],"messages":[{"target":"/1/onResult","response":"","value":{"destination":null,"headers":{"DSId":"6717F1ED-FB0B-377A-46E9-7CDBC59DB8A3"},"correlationId":"F19AEA22-8447-DD95-8C7A-D6424E55E232","messageId":"6717F1ED-FB2F-94B7-95F9-EE49F6B0FAC2","timestamp":1223365383467,"clientId":"6717F1ED-FB1E-4A71-2ECE-89521E76CF7F","timeToLive":0,"body":null}}]}`},
	// the login RemotingMessage (SUMService.login, four arguments).
	{file: "vitria/login.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"null","response":"/4","value":[{"operation":"login","source":null,"headers":{"DSEndpoint":"my-amf","DSId":"649FD9B4-5E19-45D7-46F9-46B4BC7CF647"},"destination":"SUMService","timestamp":0,"body":["vtbaadmin","vitria",false,true],"clientId":"649FDA27-1D0A-3A78-B34F-199A490800EF","timeToLive":0,"messageId":"78D7B35B-F2E9-C8CE-D342-D53FF8536EBD"}]}]}`},
	// three answers in one packet, traits and strings sent by reference across them (ArrayCollections of ArrayCollections, a ListWrapper of Models).
	{file: "vitria/batch-3-acks.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"/21/onResult","response":"","value":{"destination":null,"headers":{},"correlationId":"FEEE411E-CB62-557B-43CA-FF9899AD0E6B","messageId":"CC0391B8-C70A-BF93-9FE3-A9306F9A0489","timestamp":1224058903223,"clientId":"CBF4AA6C-780B-A12F-15F4-33C3C5BF062C","timeToLive":0,"body":[[],[]]}},{"target":"/22/onResult","response":"","value":{"destination":null,"headers":{},"correlationId":"22A93C75-A8C2-22FA-49D7-FF989A1ACA37","messageId":"CC03922B-8608-AF06-FD25-6261E2D687F5","timestamp":1224058903270,"clientId":"CBF4AA6C-780B-A12F-15F4-33C3C5BF062C","timeToLive":0,"body":{"type":"ALL","data":[{"lcStatus":null,"lcStatusDate":0,"lcStatusBy":null,"type":"Folder","lockedBy":null,"category":null,"properties":{"vt:lastDate":1223438779639,"vt:firstUser":"vtbaadmin","vt:lastUser":"vtbaadmin","vtui:KS":"Process","vt:firstDate":1223438779639},"id":"8ef7ecb5-c68f-4362-adde-96117ada0bbe","references":null,"contents":{},"removedRefers":null,"lcStatusNote":null,"flags":2,"path":"/vtworkflow35379135/vtProcess1355134543/vtResolution393434316","name":"Resolution","removedProps":null},{"lcStatus":null,"lcStatusDate":0,"lcStatusBy":null,"type":"Folder","lockedBy":null,"category":null,"properties":{"vt:lastDate":1223438779966,"vt:firstUser":"vtbaadmin","vt:lastUser":"vtbaadmin","vtui:KS":"Process","vt:firstDate":1223438779966},"id":"eb74081f-c233-4ee7-9b08-0b25f2ca1c29","references":null,"contents":{},"removedRefers":null,"lcStatusNote":null,"flags":18,"path":"/vtworkflow35379135/vtProcess1355134543/vtSubprocess1462324145","name":"Subprocess","removedProps":null}],"version":0}}},{"target":"/23/onResult","response":"","value":{"destination":null,"headers":{},"correlationId":"42BD44E7-9127-231D-63EE-FF989A1A6E40","messageId":"CC03930E-930E-220A-1599-B861B68248B2","timestamp":1224058903363,"clientId":"CBF4AA6C-780B-A12F-15F4-33C3C5BF062C","timeToLive":0,"body":{"type":"ALL","data":[],"version":0}}}]}`},
	// a BusinessCalendar with AMF3 dates (09:00 and 00:00 of 1970-01-01, times of day) and ArrayCollections.
	{file: "vitria/calendar-ack.amf", to: "packet",
		plain: `{"version":3,"headers":[],"messages":[{"target":"/5/onResult","response":"","value":{"destination":null,"headers":{},"correlationId":"2B3E2367-B662-133E-D612-005FD693E8FC","messageId":"CDE9FB98-E00C-EE23-1111-6E9683D729AC","timestamp":1224071960288,"clientId":"CDE9FB01-8209-96A0-FACD-F282BF63ADB2","timeToLive":0,"body":[{"config":{"holidays":[],"workingDayEndDate":"1970-01-01T09:00:00.000Z","workingDayStartDate":"1970-01-01T00:00:00.000Z","weekend":[1,7],"name":"","timezoneId":"(GMT+08:00) Asia/Shanghai","overtimeDays":[]},"parentCalendarId":0,"id":1,"resourceId":"Default"}]}}]}`},
	// The login's answer (2,983 bytes): the user, 14 KnowledgeSpace
	// Models and one BusinessEnvironment, with strings, traits and objects
	// sent by reference throughout.
	{file: "vitria/login-ack.amf", to: "packet", has: []string{
		`"body":{"loginUser":{"phone":null,"isUser":true,"email":null,"name":"Vitria BA administrator","id":"vtbaadmin"},"autoRefreshType":"realtime","licensesPrivilege":["0"],"privilegesInfo":{"be1":{}},"be1":[{"lcStatus":null,"lcStatusDate":0,`,
		`"properties":{"vt:lastDate":1223347857921,"hasLifecycle":"true","vtt:numberOfModels":"27","vtui:hidden":"false","releasable":"true","vtt:modelsLockedByUser":"0","vt:firstUser":"vtbaadmin","vt:lastUser":"vtbaadmin","vt:firstDate":1223347857921,"vtui:BE":"be1"},"id":"e77c7cd4-8d78-4bf7-bdbb-6f5769380157"`,
		`"path":"/vtbe197358/vtImage70760763","name":"Image","removedProps":null}],"isAutoRefresh":true,"WorkflowAccessibleInfo":[],"accessBEs":[{`,
		`"id":"af4ceba2-4af5-44d7-aeed-4c6213d6ae7f","references":null,"contents":{},"removedRefers":null,"lcStatusNote":null,"flags":31,"path":"/vtbe197358","name":"be1","removedProps":null}],"isGlobalAdmin":true}}}]}`,
	}, count: map[string]int{`"type":"KnowledgeSpace"`: 14, `"type":"BusinessEnvironment"`: 1}},
	// Riot's League of Legends login answer over RTMP (an AMF3 command
	// message: a format byte 00, then AMF0 with the body after 11): a
	// DSK small message (AcknowledgeMessageExt) holding a typed Session,
	// its ids as ByteArrays.
	{file: "riot-goamf/login-result.bin", skip: 1, name: "message.amf0", to: "amf0",
		plain: `"_result"` + "\n" + `2` + "\n" + `null` + "\n" + `{"body":{"token":"39bb6874-6a6d-4883-b5bd-9ad6dc86242f","password":"thisaccountisfortestingonly1","accountSummary":{"groupCount":0,"username":"chatbot","accountId":36155623,"summonerInternalName":null,"dataVersion":0,"admin":false,"hasBetaAccess":true,"summonerName":null,"partnerMode":false,"needsPasswordReset":false,"futureData":null}},"timestamp":1384564893751,"clientIdBytes":"i1qMZYfnmJY5u2eod8Zqow==","messageIdBytes":"i1qa5HG2iv9iOJ3rjlfPeA==","correlationId":"5ce5683a-d457-4b36-6d89-87b7a5ce10a1"}`},
	// A DSK as QDAC's AMF3 reader's demo parses it (flags over two bytes,
	// ids as ByteArrays, a last flags byte 00).
	{file: "qdac/dsk.amf3", to: "amf3",
		plain: `{"clientId":"gn-4017884362","timestamp":1458123934217,"messageIdBytes":"2PV1//kbAOgK7YybJ2+F7A==","correlationIdBytes":"TAw0VdUjtIQRqH73unVvfg=="}`},
	// An AMFPHP game server's answer: a version 0 packet with an
	// AppendToGatewayUrl header (?PHPSESSID=...) and an AMF3 body after
	// 11, arrays shared by reference (WinnerPattern is PlayerPattern).
	{file: "amfphp-slot/bet-result.amf", to: "packet",
		plain: `{"version":0,"headers":[{"name":"AppendToGatewayUrl","mustUnderstand":false,"value":"?PHPSESSID=51ed3f355da8474ce9738b3c7d9ae0a4"}],"messages":[{"target":"/532/onResult","response":"null","value":{"event":true,"data":{"event":true,"WagersID":"121404628333","EncryID":null,"BetInfo":{"event":true,"LineNum":"1","LineBet":"50","BetBalanceRate":"1","BetCreditRate":"10","BetCredit":50},"Credit":"49863.00","Credit_End":"50029.00","Cards":["5-10-6-7-7,2-6-5-7-4,7-8-8-5-5,2-1-5-5-7,8-1-6-8-7","6-8-12-7-5,2-7-5-7-4,7-2-8-5-5,2-2-5-5-7,8-3-6-8-7","6-6-5-3-5,2-7-7-7-4,7-2-8-5-5,2-2-5-5-7,8-3-6-8-7","8-1-3-4-4,6-8-8-5-5,2-3-5-4-4,7-6-8-3-7,8-3-6-8-7"],"Lines":[[{"ElementID":10,"Grids":"0,1,1,2,6,3,11,4,16,21,1","Payoff":48,"GridsPayoff":"4,0,0,8,8,8,10,8,1,1,0","Double":1}],[{"ElementID":12,"Grids":"3,1,7,2","Payoff":22,"GridsPayoff":"8,10,4,0","Double":1}],[{"ElementID":7,"Grids":"6,7,8","GridNum":3,"Payoff":24,"Double":1},{"ElementID":2,"Grids":"11,15,16","GridNum":3,"Payoff":6,"Double":1},{"ElementID":5,"Grids":"13,14,17,18","GridNum":4,"Payoff":16,"Double":1}],[]],"Pattern":{"PlayerPattern":[1,1,1,1,0,1,0,0,0,1,1,1,1,1,0,1,0,0,0,1,1,1,1,1,0],"OriginPattern":[0,1,1,1,0,1,0,0,0,1,1,1,1,1,0,1,0,0,0,1,1,1,1,1,0],"BombPattern":"B","WinnerPattern":[1,1,1,1,0,1,0,0,0,1,1,1,1,1,0,1,0,0,0,1,1,1,1,1,0],"PatternPayoff":50},"PayTotal":166,"BetTotal":50,"BetValue":5,"PayValue":16.6}}}]}`},
	// Red5's AMF I/O test: FMS 3.5.5's connect _result (the Wikipedia
	// example, its RTMP header taken off) and Flash Player 20's (Linux)
	// connect to oflaDemo; the test states capabilities 31, the
	// NetConnection.Connect.Success code and app "oflaDemo".
	{file: "red5/fms35-connect-result.amf0", to: "amf0",
		plain: `"_result"` + "\n" + `1` + "\n" + `{"fmsVer":"FMS/3,5,5,2004","capabilities":31,"mode":1}` + "\n" + `{"level":"status","code":"NetConnection.Connect.Success","description":"Connection succeeded.","data":{"version":"3,5,5,2004"},"clientid":1584259571,"objectEncoding":3}`},
	{file: "red5/fp20-connect.amf0", to: "amf0",
		plain: `"connect"` + "\n" + `1` + "\n" + `{"app":"oflaDemo","flashVer":"LNX 20,0,0,286","swfUrl":"http://localhost:5080/demos/ofla_demo.swf","tcUrl":"rtmp://localhost/oflaDemo","fpad":false,"capabilities":239,"audioCodecs":3575,"videoCodecs":252,"videoFunction":1,"pageUrl":"http://localhost:5080/demos/ofla_demo.html"}`},
	// eUnity's request holds an externalizable StudyListRequest, whose
	// body only its own classes can read: an error naming the class, the
	// path and the offset (digest §7 #26), never a guess.
	{file: "eunity/getstudylistmeta-request.amf3",
		err: `amf3: unknown externalizable class "com.clientoutlook.web.metaservices.StudyListRequest" within "/body/parameters/0" at offset 227`},
}

func TestPublicFixtures(t *testing.T) {
	for _, tc := range publicCases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../testdata/public", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			data = data[tc.skip:]
			name := tc.name
			if name == "" {
				name = filepath.Base(tc.file)
			}
			plain, warns, err := publicJSON(data, name, false)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
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
			if got := strings.TrimSpace(string(plain)); tc.has == nil && got != tc.plain {
				t.Errorf("plain JSON\n got %s\nwant %s", got, tc.plain)
			}
			if strings.Join(warns, "\n") != strings.Join(tc.warns, "\n") {
				t.Errorf("warnings %q, want %q", warns, tc.warns)
			}
			typed, twarns, err := publicJSON(data, name, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(twarns) < len(tc.warns) {
				t.Errorf("typed JSON warnings %q, want %q at least", twarns, tc.warns)
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

// publicJSON is what convert writes for data: its JSON, plain or typed,
// one compact line per value, and the warnings it gives.
func publicJSON(data []byte, name string, typed bool) ([]byte, []string, error) {
	src, err := Load(data, name, InSpec{})
	if err != nil {
		return nil, nil, err
	}
	tg, err := src.Target(OutSpec{Format: "json"})
	if err != nil {
		return nil, nil, err
	}
	var warns []string
	out, err := src.Render(tg, &Options{Typed: typed, Warn: func(m string) { warns = append(warns, m) }})
	return out, warns, err
}

// TestPublicFLVStream: the streaming FLV path (convert of stdin) reads
// the JT1078 file as Render does and gives the same warning.
func TestPublicFLVStream(t *testing.T) {
	data, err := os.ReadFile("../testdata/public/jt1078/jt1078-onmetadata-size156.flv")
	if err != nil {
		t.Fatal(err)
	}
	want, wantWarns, err := publicJSON(data, "stdin", false)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var warns []string
	if _, err := WriteFLVJSON(&out, bytes.NewReader(data), "stdin", &Options{Warn: func(m string) { warns = append(warns, m) }}); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("stream JSON\n got %s\nwant %s", out.Bytes(), want)
	}
	if len(wantWarns) != 1 || strings.Join(warns, "\n") != strings.Join(wantWarns, "\n") {
		t.Errorf("stream warnings %q, Render's %q (want one)", warns, wantWarns)
	}
}

// renderAs converts data, its form found from name as convert finds it,
// to the form to, with no options.
func renderAs(t *testing.T, data []byte, name, to string) []byte {
	t.Helper()
	src, err := Load(data, name, InSpec{})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := src.Target(OutSpec{Format: to})
	if err != nil {
		t.Fatal(err)
	}
	out, err := src.Render(tg, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
