module example.com/cloudkit

go 1.22
