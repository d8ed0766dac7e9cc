# dmsready in a minimal image: a static binary on distroless (CA
# certificates for HTTPS to Azure, no shell, no package manager), run as a
# non-root user. See docs/install.md.
#
#   docker build -t dmsready .
#   docker run --rm -v "$PWD:/work" -e DMSREADY_SQL_PASSWORD dmsready check --plan /work/migration.yaml
#
# Build arguments stamp `dmsready version`: VERSION, COMMIT, DATE.

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
# Modules first, so a code change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=""
ARG DATE=""
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w \
        -X github.com/dmsready/dmsready/internal/cli.version=${VERSION} \
        -X github.com/dmsready/dmsready/internal/cli.commit=${COMMIT} \
        -X github.com/dmsready/dmsready/internal/cli.buildDate=${DATE}" \
      -o /out/dmsready ./cmd/dmsready

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dmsready /usr/local/bin/dmsready
# 65532 is distroless's "nonroot" user; numeric so that Kubernetes'
# runAsNonRoot can verify it.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/dmsready"]
CMD ["--help"]
