module github.com/dmsready/dmsready

go 1.26.8

require golang.org/x/term v0.48.0

require (
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
