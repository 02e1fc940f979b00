-- wrk script: the bare comparison view, POSTing a body of the same size as an order.
wrk.method = "POST"
wrk.path = "/bench/bare/"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"menu": 1234, "items": [{"item": 12345, "quantity": 1}]}'

dofile("bench/done.lua")
