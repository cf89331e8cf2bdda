// Package data embeds levy's default rule files: the US measure pack under
// measures/ and the scenario overlays under scenarios/. The files are data,
// written from primary legal sources with the citation beside every fact.
//
// It must not import any other levy package.
package data

import "embed"

// FS holds measures/*.yaml and scenarios/*.yaml.
//
//go:embed measures/*.yaml scenarios/*.yaml
var FS embed.FS

// InterestRates is the table of quarterly overpayment interest rates on
// customs duties (refunds/interest-rates.yaml), each quarter with its source.
//
//go:embed refunds/interest-rates.yaml
var InterestRates []byte
