module example.com/hub

go 1.26.0

require example.com/hub/sdk v1.0.0
