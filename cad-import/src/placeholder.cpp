namespace telar::cad {}
