#include "mesh_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <limits>

namespace telar::desktop {

namespace {

const char* kVertexShader = R"(
attribute vec3 a_position;
attribute vec3 a_normal;
attribute vec3 a_colour;
uniform mat4 u_mvp;
uniform mat4 u_modelView;
uniform mat3 u_normalMatrix;
varying vec3 v_normal;
varying vec3 v_colour;
varying vec3 v_eye;
void main() {
    v_normal = u_normalMatrix * a_normal;
    v_colour = a_colour;
    v_eye = (u_modelView * vec4(a_position, 1.0)).xyz;
    gl_Position = u_mvp * vec4(a_position, 1.0);
}
)";

const char* kFragmentShader = R"(
varying vec3 v_normal;
varying vec3 v_colour;
varying vec3 v_eye;
void main() {
    vec3 n = normalize(v_normal);
    vec3 toEye = normalize(-v_eye);
    float diffuse = abs(dot(n, toEye));
    vec3 halfway = normalize(toEye + vec3(0.3, 0.5, 0.0));
    float specular = pow(abs(dot(n, halfway)), 40.0) * 0.25;
    gl_FragColor = vec4(v_colour * (0.3 + 0.7 * diffuse) + vec3(specular), 1.0);
}
)";

constexpr int kFloatsPerVertex = 9;

} // namespace

MeshView::MeshView(QWidget* parent) : QOpenGLWidget(parent) {
    setMinimumSize(200, 150);
    setFocusPolicy(Qt::StrongFocus);
}

MeshView::~MeshView() {
    makeCurrent();
    releaseGl();
    doneCurrent();
}

QColor MeshView::backgroundColour() {
    return QColor(236, 239, 243);
}
QColor MeshView::defaultPartColour() {
    return QColor(150, 165, 185);
}
QColor MeshView::highlightColour() {
    return QColor(255, 140, 0);
}

void MeshView::setMesh(std::shared_ptr<const cad::Mesh> mesh) {
    m_mesh = std::move(mesh);
    m_vertexData.clear();
    m_fileColours.clear();
    m_highlight.clear();
    m_picker = MeshPicker();
    m_framesWithMesh = 0;
    m_message.clear();
    if (!m_mesh || m_mesh->indices.empty()) {
        m_mesh.reset();
        m_indexCount = 0;
        m_pendingUpload = false;
        update();
        return;
    }
    const cad::Mesh& m = *m_mesh;
    const size_t n = m.vertexCount();
    // Per-vertex colours from the groups (vertices are not shared between parts of different colours
    // in practice; if they were, the last group wins).
    const QColor fallback = defaultPartColour();
    m_fileColours.resize(n * 3);
    for (size_t v = 0; v < n; ++v) {
        m_fileColours[v * 3] = float(fallback.redF());
        m_fileColours[v * 3 + 1] = float(fallback.greenF());
        m_fileColours[v * 3 + 2] = float(fallback.blueF());
    }
    for (const auto& g : m.groups) {
        if (!g.colour) continue;
        const float rgb[3] = {g.colour->r / 255.0f, g.colour->g / 255.0f, g.colour->b / 255.0f};
        const size_t end = std::min<size_t>(size_t(g.firstIndex) + g.indexCount, m.indices.size());
        for (size_t i = g.firstIndex; i < end; ++i) {
            const size_t v = m.indices[i];
            if (v < n) std::copy(rgb, rgb + 3, m_fileColours.begin() + long(v * 3));
        }
    }
    constexpr float inf = std::numeric_limits<float>::infinity();
    m_min = QVector3D(inf, inf, inf);
    m_max = QVector3D(-inf, -inf, -inf);
    m_vertexData.resize(n * kFloatsPerVertex);
    for (size_t v = 0; v < n; ++v) {
        float* out = &m_vertexData[v * kFloatsPerVertex];
        for (int k = 0; k < 3; ++k) {
            out[k] = m.positions[v * 3 + k];
            out[3 + k] = v * 3 + k < m.normals.size() ? m.normals[v * 3 + k] : 0.0f;
            out[6 + k] = m_fileColours[v * 3 + k];
        }
        const QVector3D p(out[0], out[1], out[2]);
        m_min = QVector3D(std::min(m_min.x(), p.x()), std::min(m_min.y(), p.y()), std::min(m_min.z(), p.z()));
        m_max = QVector3D(std::max(m_max.x(), p.x()), std::max(m_max.y(), p.y()), std::max(m_max.z(), p.z()));
    }
    m_picker = MeshPicker(m_mesh);
    m_pendingUpload = true;
    m_pendingFit = true;
    update();
}

void MeshView::writeColours(int instance, const float* rgb) {
    const cad::Mesh& m = *m_mesh;
    const cad::MeshGroup& g = m.groups[size_t(instance)];
    const size_t n = m.vertexCount();
    const size_t end = std::min<size_t>(size_t(g.firstIndex) + g.indexCount, m.indices.size());
    for (size_t i = g.firstIndex; i < end; ++i) {
        const size_t v = m.indices[i];
        if (v >= n) continue;
        const float* colour = rgb ? rgb : &m_fileColours[v * 3];
        std::copy(colour, colour + 3, m_vertexData.begin() + long(v * kFloatsPerVertex + 6));
    }
}

void MeshView::setHighlight(const std::vector<int>& instances) {
    std::vector<int> wanted;
    if (m_mesh)
        for (int i : instances)
            if (i >= 0 && size_t(i) < m_mesh->groups.size() &&
                std::find(wanted.begin(), wanted.end(), i) == wanted.end())
                wanted.push_back(i);
    if (wanted == m_highlight) return;
    for (int i : m_highlight)
        writeColours(i, nullptr);
    const QColor h = highlightColour();
    const float rgb[3] = {float(h.redF()), float(h.greenF()), float(h.blueF())};
    for (int i : wanted)
        writeColours(i, rgb);
    m_highlight = std::move(wanted);
    if (m_mesh) m_pendingUpload = true;
    update();
}

void MeshView::applyPendingFit() {
    if (!m_pendingFit || !m_mesh) return;
    m_camera.fit(m_min, m_max, height() > 0 ? float(width()) / float(height()) : 1.0f);
    m_pendingFit = false;
}

int MeshView::instanceAt(const QPointF& pos) {
    if (!m_mesh) return -1;
    applyPendingFit();
    return m_picker.instanceAt(m_camera, pos, size());
}

std::optional<QPointF> MeshView::visiblePoint(int instance) {
    if (!m_mesh) return std::nullopt;
    applyPendingFit();
    return m_picker.visiblePoint(m_camera, size(), instance);
}

void MeshView::clear(const QString& message) {
    setMesh(nullptr);
    m_message = message;
    update();
}

void MeshView::setMessage(const QString& message) {
    m_message = message;
    update();
}

void MeshView::fitAll() {
    if (!hasMesh()) return;
    m_pendingFit = true;
    update();
}

void MeshView::resetView() {
    m_camera.resetOrientation();
    fitAll();
    update();
}

void MeshView::initializeGL() {
    initializeOpenGLFunctions();
    m_program = std::make_unique<QOpenGLShaderProgram>();
    bool ok = m_program->addShaderFromSourceCode(QOpenGLShader::Vertex, kVertexShader) &&
              m_program->addShaderFromSourceCode(QOpenGLShader::Fragment, kFragmentShader);
    m_program->bindAttributeLocation("a_position", 0);
    m_program->bindAttributeLocation("a_normal", 1);
    m_program->bindAttributeLocation("a_colour", 2);
    ok = ok && m_program->link();
    if (!ok) {
        m_message = tr("OpenGL shaders failed: %1").arg(m_program->log());
        m_program.reset();
        return;
    }
    m_vertices.create();
    m_indices.create();
    m_glReady = true;
    if (m_mesh) m_pendingUpload = true;
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
        makeCurrent();
        releaseGl();
        doneCurrent();
    });
}

void MeshView::releaseGl() {
    if (!m_glReady) return;
    m_vertices.destroy();
    m_indices.destroy();
    m_program.reset();
    m_glReady = false;
}

void MeshView::upload() {
    m_pendingUpload = false;
    m_indexCount = 0;
    if (!m_mesh) return;
    m_vertices.bind();
    m_vertices.allocate(m_vertexData.data(), int(m_vertexData.size() * sizeof(float)));
    m_indices.bind();
    m_indices.allocate(m_mesh->indices.data(), int(m_mesh->indices.size() * sizeof(std::uint32_t)));
    m_indexCount = int(m_mesh->indices.size());
}

void MeshView::resizeGL(int, int) {}

void MeshView::paintGL() {
    const QColor bg = backgroundColour();
    glClearColor(float(bg.redF()), float(bg.greenF()), float(bg.blueF()), 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    if (m_glReady) {
        if (m_pendingUpload) upload();
        if (m_mesh && m_indexCount > 0) {
            glEnable(GL_DEPTH_TEST);
            glDepthFunc(GL_LEQUAL);
            glDisable(GL_CULL_FACE);
            const float aspect = height() > 0 ? float(width()) / float(height()) : 1.0f;
            applyPendingFit();
            const QMatrix4x4 view = m_camera.viewMatrix();
            const QMatrix4x4 mvp = m_camera.projectionMatrix(aspect) * view;
            m_program->bind();
            m_program->setUniformValue("u_mvp", mvp);
            m_program->setUniformValue("u_modelView", view);
            m_program->setUniformValue("u_normalMatrix", view.normalMatrix());
            m_vertices.bind();
            m_indices.bind();
            const int stride = kFloatsPerVertex * int(sizeof(float));
            m_program->enableAttributeArray(0);
            m_program->enableAttributeArray(1);
            m_program->enableAttributeArray(2);
            m_program->setAttributeBuffer(0, GL_FLOAT, 0, 3, stride);
            m_program->setAttributeBuffer(1, GL_FLOAT, 3 * sizeof(float), 3, stride);
            m_program->setAttributeBuffer(2, GL_FLOAT, 6 * sizeof(float), 3, stride);
            glDrawElements(GL_TRIANGLES, m_indexCount, GL_UNSIGNED_INT, nullptr);
            m_program->disableAttributeArray(0);
            m_program->disableAttributeArray(1);
            m_program->disableAttributeArray(2);
            m_vertices.release();
            m_indices.release();
            m_program->release();
            glDisable(GL_DEPTH_TEST);
            ++m_framesWithMesh;
        }
    }
    if (!m_message.isEmpty()) {
        QPainter painter(this);
        painter.setPen(QColor(90, 96, 105));
        painter.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, m_message);
    }
}

void MeshView::mousePressEvent(QMouseEvent* event) {
    m_lastPos = event->position().toPoint();
    m_pressPos = m_lastPos;
    m_moved = false;
    if (event->button() == Qt::LeftButton && !(event->modifiers() & Qt::ShiftModifier))
        m_drag = Drag::Orbit;
    else if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton ||
             event->button() == Qt::RightButton)
        m_drag = Drag::Pan;
    event->accept();
}

void MeshView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const QPoint delta = pos - m_lastPos;
    m_lastPos = pos;
    if ((pos - m_pressPos).manhattanLength() > 3) m_moved = true;
    if (m_drag == Drag::Orbit)
        m_camera.orbit(float(delta.x()), float(delta.y()));
    else if (m_drag == Drag::Pan)
        m_camera.pan(float(delta.x()), float(delta.y()), height());
    else
        return;
    update();
}

void MeshView::mouseReleaseEvent(QMouseEvent* event) {
    const bool click = m_drag == Drag::Orbit && !m_moved && event->button() == Qt::LeftButton;
    m_drag = Drag::None;
    if (click && m_mesh) emit instanceClicked(instanceAt(event->position()));
}

void MeshView::mouseDoubleClickEvent(QMouseEvent*) {
    fitAll();
}

void MeshView::wheelEvent(QWheelEvent* event) {
    m_camera.zoom(float(event->angleDelta().y()) / 120.0f);
    update();
    event->accept();
}

} // namespace telar::desktop
