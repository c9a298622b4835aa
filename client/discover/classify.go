package discover

import (
	"regexp"
	"strings"

	"github.com/amfcall/amfcall/client"
)

// FaultKind is what a fault says about the name that was called.
type FaultKind int

const (
	// OtherFault is any other fault: the target exists, or the gateway
	// does not say.
	OtherFault FaultKind = iota
	// NoService says the service (or Flex destination) does not exist.
	NoService
	// NoMethod says the service exists but has no such method.
	NoMethod
)

func (k FaultKind) String() string {
	switch k {
	case NoService:
		return "no such service"
	case NoMethod:
		return "no such method"
	}
	return "other fault"
}

// faultRule recognises one gateway's "not found" fault. code matches the
// fault code exactly ("" matches any); text, when set, must match the
// description, details or (for Flex) faultString and faultDetail.
type faultRule struct {
	gateway string
	kind    FaultKind
	code    string
	text    *regexp.Regexp
}

// faultRules are the documented "not found" faults. Sources: PyAMF's
// remoting gateway (Service.ResourceNotFound, Service.MethodNotFound, as
// recorded in testdata/pyamf/captures and as amfcall serve answers);
// AMFPHP 1.x's Executive (AMFPHP_FILE_NOT_FOUND,
// AMFPHP_CLASSPATH_NOT_FOUND, AMFPHP_INEXISTANT_METHOD); AMFPHP 2's
// ServiceRouter ("X service not found", "method M not found on S
// object"); Zend_Amf_Server::_dispatch ('Class "X" does not exist',
// 'Method "M" does not exist'); BlazeDS/LiveCycle ("No destination with
// id 'X' is registered with any service", Server.ResourceUnavailable
// "Method 'M' not found"); ColdFusion ("Could not find the ColdFusion
// component or interface X", "The method M was not found in component
// X"); Red5 ("Method M ... not found", with NetConnection.Call.Failed);
// GraniteDS (NoSuchMethodException.Call.Failed).
var faultRules = []faultRule{
	{PyAMF, NoService, "Service.ResourceNotFound", nil},
	{PyAMF, NoMethod, "Service.MethodNotFound", nil},
	{AMFPHP1GW, NoService, "AMFPHP_FILE_NOT_FOUND", nil},
	{AMFPHP1GW, NoService, "AMFPHP_CLASSPATH_NOT_FOUND", nil},
	{AMFPHP1GW, NoMethod, "AMFPHP_INEXISTANT_METHOD", nil},
	{AMFPHP2GW, NoService, "", regexp.MustCompile(`(?i)^\S+ service not found`)},
	{AMFPHP2GW, NoMethod, "", regexp.MustCompile(`(?i)^method \S+ not found on \S+ object`)},
	{ZendAmf, NoService, "", regexp.MustCompile(`^Class "[^"]*" does not exist`)},
	{ZendAmf, NoMethod, "", regexp.MustCompile(`^Method "[^"]*" does not exist`)},
	{BlazeDS, NoService, "", regexp.MustCompile(`No destination with id '[^']*' is registered with any service`)},
	{BlazeDS, NoMethod, "Server.ResourceUnavailable", regexp.MustCompile(`Method '[^']*' not found`)},
	{ColdFusion, NoService, "", regexp.MustCompile(`(?i)could not find the ColdFusion component`)},
	{ColdFusion, NoMethod, "", regexp.MustCompile(`(?i)the method \S+ was not found in component`)},
	{Red5, NoService, "NetConnection.Call.Failed", regexp.MustCompile(`(?i)service not found`)},
	{Red5, NoMethod, "NetConnection.Call.Failed", regexp.MustCompile(`(?i)method \S+ .*not found`)},
	{GraniteDS, NoMethod, "NoSuchMethodException.Call.Failed", nil},
}

// ClassifyFault says whether a fault means "no such service", "no such
// method" or something else, and names the gateway whose wording it is
// ("" for OtherFault).
func ClassifyFault(f *client.Fault) (FaultKind, string) {
	texts := []string{f.Description, f.Details}
	for _, r := range faultRules {
		if r.code != "" && r.code != f.Code {
			continue
		}
		if r.text == nil {
			return r.kind, r.gateway
		}
		for _, t := range texts {
			if r.text.MatchString(strings.TrimSpace(t)) {
				return r.kind, r.gateway
			}
		}
	}
	return OtherFault, ""
}

// IsNotFound reports whether a fault says that the service or the method
// does not exist.
func IsNotFound(f *client.Fault) bool {
	k, _ := ClassifyFault(f)
	return k != OtherFault
}
