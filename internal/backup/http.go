package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// HTTPReaderAt reads a blob or file over HTTP(S) with ranged GETs, using the
// URL as given (a SAS token in the query authorises it). Errors never
// contain the URL's query: a SAS signature must not leak into output.
type HTTPReaderAt struct {
	ctx    context.Context
	client *http.Client
	url    string
	shown  string
}

// OpenHTTP returns a reader for rawURL and the resource's size, learnt from
// the first ranged GET (Content-Range) — one request.
func OpenHTTP(ctx context.Context, client *http.Client, rawURL string) (*HTTPReaderAt, int64, error) {
	if client == nil {
		client = http.DefaultClient
	}
	h := &HTTPReaderAt{ctx: ctx, client: client, url: rawURL, shown: Redact(rawURL)}
	resp, err := h.get(0, 0)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1))
	cr := resp.Header.Get("Content-Range") // bytes 0-0/SIZE
	i := strings.LastIndexByte(cr, '/')
	if resp.StatusCode != http.StatusPartialContent || i < 0 {
		if resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
			return h, 0, nil // an empty blob
		}
		return nil, 0, fmt.Errorf("%s: the server does not answer ranged reads (status %d)", h.shown, resp.StatusCode)
	}
	size, err := strconv.ParseInt(cr[i+1:], 10, 64)
	if err != nil || size < 0 {
		return nil, 0, fmt.Errorf("%s: bad Content-Range %q", h.shown, cr)
	}
	return h, size, nil
}

func (h *HTTPReaderAt) get(off, end int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(h.ctx, http.MethodGet, h.url, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: bad URL", h.shown)
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, end))
	req.Header.Set("x-ms-version", "2021-08-06") // Azure Blob: honour Range on every auth mode
	resp, err := h.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL, which may carry sig=
		}
		return nil, fmt.Errorf("%s: %w", h.shown, err)
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusPartialContent, http.StatusRequestedRangeNotSatisfiable:
		return resp, nil
	}
	resp.Body.Close()
	return nil, fmt.Errorf("%s: HTTP %s", h.shown, resp.Status)
}

// ReadAt reads len(p) bytes at off with one ranged GET.
func (h *HTTPReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	resp, err := h.get(off, off+int64(len(p))-1)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
		return 0, io.EOF
	}
	if resp.StatusCode == http.StatusOK && off != 0 {
		return 0, fmt.Errorf("%s: the server ignored the Range header", h.shown)
	}
	n, err := io.ReadFull(resp.Body, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// Redact returns rawURL with the value of every sig parameter (and any
// userinfo password) replaced, for display.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		// Unparseable: cut at the query so nothing secret is shown.
		if i := strings.IndexByte(rawURL, '?'); i >= 0 {
			return rawURL[:i] + "?REDACTED"
		}
		return rawURL
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			k, _, _ := strings.Cut(p, "=")
			if strings.EqualFold(k, "sig") {
				parts[i] = k + "=REDACTED"
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return u.String()
}
