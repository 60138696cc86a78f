module example.com/portal

go 1.26.0

require example.com/router v1.1.0
