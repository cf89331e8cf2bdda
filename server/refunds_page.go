package server

import (
	"embed"
	"errors"
	"html/template"
	"net/http"

	"github.com/levy-tariff/levy/money"
	"github.com/levy-tariff/levy/refund"
)

// The refunds page is rendered on the server from its own template and
// style sheet (refundsweb/), on top of the site's /style.css, so that it
// works without JavaScript and does not depend on the main page's code.
//
//go:embed refundsweb
var refundsWeb embed.FS

var refundsTmpl = template.Must(template.New("refunds.html").Funcs(template.FuncMap{
	"money":  func(d money.Decimal) string { return money.Format(d) },
	"entry":  refund.FormatEntryNumber,
	"group":  func(a refund.Amounts, g refund.Group) money.Decimal { return a.Get(g) },
	"total":  func(a refund.Amounts) money.Decimal { return a.Total() },
	"groups": func() []refund.Group { return refund.Groups },
	"nonzero": func(b refund.Bucket, g refund.Group) bool {
		return !b.Paid.Get(g).IsZero() || !b.OwedThen.Get(g).IsZero() || !b.OwedNow.Get(g).IsZero()
	},
	"heading": func(h string) string {
		if refund.IsChapter99(h) {
			return refund.DottedHeading(refund.Heading8(h))
		}
		return h
	},
	"float": func(d money.Decimal) float64 { f, _ := d.Float64(); return f },
}).ParseFS(refundsWeb, "refundsweb/refunds.html"))

type refundsPageData struct {
	AsOf     string
	Importer string
	Error    string
	Data     *refundsData
	Entry    *refund.Result
	MaxMonth money.Decimal
	NoLedger bool
}

func (s *Server) refundsPage(w http.ResponseWriter, r *http.Request) error {
	page := refundsPageData{Importer: r.URL.Query().Get("importer")}
	status := http.StatusOK
	d, err := s.loadRefunds(r, false)
	if err == nil {
		page.Data, page.AsOf = d, d.Summary.AsOf.String()
		for _, b := range d.Summary.ByMonth {
			if t := b.Paid.Total(); page.MaxMonth.Less(t) {
				page.MaxMonth = t
			}
		}
		if n := r.URL.Query().Get("entry"); n != "" {
			page.Entry, err = s.entryResult(r, n)
		}
	}
	if err != nil {
		e := apiError(err)
		page.Error, status = e.Message, statusOf[e.Code]
		page.NoLedger = s.Ledger == nil
		var ae *Error
		if !errors.As(err, &ae) && e.Code == CodeInternal {
			s.Log.ErrorContext(r.Context(), "refunds page", "err", err)
		}
	}
	setPageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return refundsTmpl.Execute(w, page)
}

func (s *Server) refundsCSS(w http.ResponseWriter, r *http.Request) error {
	b, err := refundsWeb.ReadFile("refundsweb/refunds.css")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
	return nil
}
