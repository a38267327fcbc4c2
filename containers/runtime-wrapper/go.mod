module kubaeum.local/containers/runtime-wrapper

go 1.26.0
