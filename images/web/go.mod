module kubaeum.local/images/web

go 1.26.0
