#pragma once
// The 3D view: draws a tessellated CAD file (telar::cad::Mesh) with the colours the CAD file
// gives its parts, lit by a headlight. Left drag orbits, right or middle drag (or Shift+left)
// pans, the wheel zooms, a double click fits everything in view. Uses OpenGL 2.1 / GLSL 1.10
// only, so it runs on Mesa llvmpipe (Xvfb) as well as on real drivers.

#include "orbit_camera.h"

#include "telar/cad/mesh.h"

#include <QOpenGLBuffer>
#include <QOpenGLFunctions>
#include <QOpenGLShaderProgram>
#include <QOpenGLWidget>
#include <QPoint>
#include <QVector3D>

#include <memory>
#include <vector>

namespace telar::desktop {

class MeshView : public QOpenGLWidget, protected QOpenGLFunctions {
    Q_OBJECT
public:
    explicit MeshView(QWidget* parent = nullptr);
    ~MeshView() override;

    // Shows mesh (shared, immutable) and fits it in view; a mesh without triangles clears the view.
    void setMesh(std::shared_ptr<const cad::Mesh> mesh);
    // Removes the geometry and shows message in the middle of the view.
    void clear(const QString& message = {});
    // Text drawn over the view (e.g. "Loading…"); empty hides it.
    void setMessage(const QString& message);
    bool hasMesh() const { return m_indexCount > 0 || m_pendingUpload; }
    // Frames drawn with geometry since the last setMesh() (screenshots wait for one).
    int framesWithMesh() const { return m_framesWithMesh; }

    const OrbitCamera& camera() const { return m_camera; }
    // The colour the view is cleared with (tests compare pixels against it).
    static QColor backgroundColour();
    // The colour of parts the CAD file gives none.
    static QColor defaultPartColour();

public slots:
    void fitAll();
    void resetView();

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void upload();
    void releaseGl();

    OrbitCamera m_camera;
    std::shared_ptr<const cad::Mesh> m_mesh;
    std::vector<float> m_vertexData; // x y z nx ny nz r g b per vertex, built in setMesh()
    QVector3D m_min;
    QVector3D m_max;
    bool m_pendingUpload = false;
    bool m_pendingFit = false; // fit at the next paint, when the viewport size is known
    int m_indexCount = 0;
    int m_framesWithMesh = 0;
    QString m_message;

    bool m_glReady = false;
    std::unique_ptr<QOpenGLShaderProgram> m_program;
    QOpenGLBuffer m_vertices{QOpenGLBuffer::VertexBuffer};
    QOpenGLBuffer m_indices{QOpenGLBuffer::IndexBuffer};

    enum class Drag { None, Orbit, Pan };
    Drag m_drag = Drag::None;
    QPoint m_lastPos;
};

} // namespace telar::desktop
