package measure

import "strings"

// Summary is a measure in one line: the JSON shape of `levy measures list
// --json` and GET /v1/measures.
type Summary struct {
	ID         string `json:"id"`
	Heading    string `json:"heading"`
	Title      string `json:"title"`
	Family     string `json:"family"`
	Status     string `json:"status"`
	From       string `json:"from"`
	To         string `json:"to,omitempty"`
	KnownFrom  string `json:"known_from,omitempty"`
	VoidedOn   string `json:"voided_on,omitempty"`
	Rate       string `json:"rate"`
	Countries  string `json:"countries"`
	Instrument string `json:"instrument"`
	Confidence string `json:"confidence"`
}

// Summary returns the measure in one line.
func (m *Measure) Summary() Summary {
	v := Summary{ID: m.ID, Heading: m.Heading, Title: m.Title, Family: m.Family, Status: m.Status,
		From: m.Effective.From.String(), Instrument: m.Authority.Cite(), Confidence: m.Confidence}
	if d := Norm(m.Effective.To); !d.IsNone() {
		v.To = d.String()
	}
	if d := Norm(m.KnownFrom); !d.IsNone() {
		v.KnownFrom = d.String()
	}
	if d := Norm(m.VoidedOn); !d.IsNone() {
		v.VoidedOn = d.String()
	}
	switch {
	case m.Warning != "":
		v.Rate = "not computed (warns)"
	case m.Rate.InLieu.Set:
		v.Rate = m.Rate.InLieu.String() + " in lieu of the base rate"
	case m.Rate.FloorInclusive.Set:
		v.Rate = m.Rate.FloorInclusive.String() + " inclusive"
	default:
		v.Rate = "+" + m.Rate.Additional.String()
	}
	if m.Countries.All {
		v.Countries = "all"
		if len(m.Countries.Except) > 0 {
			v.Countries += " except " + strings.Join(m.Countries.Except, ",")
		}
	} else {
		v.Countries = strings.Join(m.Countries.Include, ",")
	}
	return v
}
