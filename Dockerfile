# initlint in a container, as hadolint ships one:
#   docker build -t initlint .
#   docker run --rm -v "$PWD:/src:ro" initlint            # lints the mounted folder
#   docker run --rm -i initlint - < Dockerfile            # or standard input
# BASE_IMAGE: any Debian-like image with python3 >= 3.9 (and pip, unless wheels/ is given).
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS wheels
WORKDIR /build
COPY . /build/
# A wheels/ folder in the build context (made beforehand with `pip wheel`) allows an offline
# build; without it pip builds initlint's wheel and fetches its dependencies.
RUN if [ -d wheels ]; then cp -r wheels /wheels; \
    else python3 -m pip wheel --no-cache-dir --wheel-dir /wheels .; fi

FROM ${BASE_IMAGE}
COPY --from=wheels /wheels /tmp/wheels
# The wheels are unpacked, not pip-installed: the final image needs no pip. The bundled init
# is vendored as --fix would do it, and runs as PID 1 so docker stop and Ctrl-C work.
RUN python3 -c "import glob, zipfile; [zipfile.ZipFile(w).extractall('/opt/initlint') for w in sorted(glob.glob('/tmp/wheels/*.whl'))]" \
    && rm -rf /tmp/wheels \
    && python3 -m compileall -q /opt/initlint \
    && PYTHONPATH=/opt/initlint python3 -m initlint --print-init > /usr/local/bin/initlint-init \
    && chmod 755 /usr/local/bin/initlint-init
ENV PYTHONPATH=/opt/initlint
WORKDIR /src
ENTRYPOINT ["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--", "python3", "-m", "initlint"]
CMD ["."]
